/**
 * A Jupyter kernel driven as a browser tab drives it: started over the REST API, then spoken to
 * over its websocket.
 */
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'undici';

export interface KernelMessage {
  header?: { msg_type?: string };
  parent_header?: { msg_id?: string };
  content?: { execution_state?: string };
}

/**
 * Opens the kernel's channels as a browser tab does, sends one request on `channel`, and closes
 * once `answered` holds for a message in reply to it.
 */
export async function request(
  base: string,
  token: string,
  kernelId: string,
  ask: { msgType: string; channel: 'shell' | 'control'; content: object },
  answered: (message: KernelMessage) => boolean,
): Promise<void> {
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/api/kernels/${kernelId}/channels`, {
    headers: { authorization: `token ${token}` },
  });
  const header = {
    msg_id: randomUUID(),
    msg_type: ask.msgType,
    username: 'student',
    session: randomUUID(),
    version: '5.3',
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${ask.msgType}`)), 60_000);
    socket.onerror = () => reject(new Error('websocket failed'));
    socket.onopen = () =>
      socket.send(
        JSON.stringify({
          header,
          parent_header: {},
          metadata: {},
          content: ask.content,
          channel: ask.channel,
        }),
      );
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as KernelMessage;
      if (message.parent_header?.msg_id === header.msg_id && answered(message)) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
  socket.close();
}

/**
 * Start a kernel and have it execute `time.sleep(seconds)`; resolves with its id once it is
 * busy.
 */
export async function busyKernel(base: string, token: string, seconds: number): Promise<string> {
  const started = await fetch(`${base}/api/kernels`, {
    method: 'POST',
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'python3' }),
  });
  const { id } = (await started.json()) as { id: string };
  await request(
    base,
    token,
    id,
    {
      msgType: 'execute_request',
      channel: 'shell',
      content: {
        code: `import time; time.sleep(${seconds})`,
        silent: false,
        store_history: false,
        user_expressions: {},
        allow_stdin: false,
      },
    },
    (m) => m.header?.msg_type === 'status' && m.content?.execution_state === 'busy',
  );
  return id;
}

/** The kernel's execution state as the server itself has it (what its culler goes by). */
export async function executionState(base: string, token: string, id: string): Promise<string> {
  const answer = await fetch(`${base}/api/kernels/${id}`, {
    headers: { authorization: `token ${token}` },
  });
  return ((await answer.json()) as { execution_state: string }).execution_state;
}

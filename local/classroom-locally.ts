import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rosterCsv } from '../layers/core/classroom/roster';
import type { BakeResult } from './bake-locally';
import { classRoster } from './class-roster';
import { failureText, runShowingProgress } from './progress';
import { sessionStartingSoon } from './session-soon';
import type { SimulatedAws } from './sim';
import { LOCAL_CLASSES_TABLE, LOCAL_SENDER } from './simulation';

const SAMPLE_STUDENTS = [
  { name: 'Ada Lovelace', email: 'ada@example.edu' },
  { name: "Siobhán O'Brien", email: 'siobhan@example.edu' },
  { name: 'Zoë Müller', email: 'zoe@example.edu' },
];

function students(count: number) {
  return Array.from(
    { length: count },
    (_, i) =>
      SAMPLE_STUDENTS[i] ?? { name: `Student ${i + 1}`, email: `student${i + 1}@example.edu` },
  );
}

/** Seats a class on the baked image, printing each step, the roster and where the emails are. */
export async function classroomLocally(
  sim: SimulatedAws,
  image: BakeResult,
  seats: number,
  outbox: string,
) {
  const request = {
    name: 'intro-workshop',
    image,
    students: students(seats),
    schedule: sessionStartingSoon(sim.clock.now()),
    instructor: { name: 'Grace Hopper', email: 'grace@example.edu' },
    sender: LOCAL_SENDER,
  };
  console.log(`Seat a classroom of ${seats} on ${image.imageId}`);
  const { run, summary } = await runShowingProgress(sim, 'classroom', { request });
  if (run.status !== 'SUCCEEDED') {
    console.error(`\nThe classroom failed: ${failureText(run)}`);
    return false;
  }
  const { classId, counts } = run.output as {
    classId: string;
    counts: { ready: number; total: number };
  };
  const roster = await classRoster(LOCAL_CLASSES_TABLE, classId);
  mkdirSync(outbox, { recursive: true });
  const csv = join(outbox, `${request.name}-roster.csv`);
  writeFileSync(csv, rosterCsv(roster));
  console.log(`\nRoster: ${counts.ready} of ${counts.total} seats ready (${summary})`);
  for (const r of roster)
    console.log(
      `  ${r.seatId}  ${(r.studentName ?? '').padEnd(18)} ${r.url ?? r.state}${r.reason ? `  (${r.reason})` : ''}`,
    );
  const emails = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
  console.log(
    `\nThe roster is in ${csv}; the ${emails.length} emails sent are in ${outbox}/ (open any .eml in a mail client).`,
  );
  return true;
}

#!/usr/bin/env node
// The installed `bakehouse` command: runs bin/bakehouse.ts under tsx with the hook that loads
// .sh and .py files as text, as `npm start` runs local/cli.ts.
import { register } from 'tsx/esm/api';

if (Number(process.versions.node.split('.')[0]) < 22) {
  console.error(`bakehouse needs node 22 or later (this is node ${process.versions.node})`);
  process.exit(1);
}
register();
await import('../local/text-files.ts');
await import('./bakehouse.ts');

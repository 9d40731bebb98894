// cors-conformance command line: the process around cli/program.ts (its grammar and help) and
// cli/commands.ts (the commands' work).
// Exit codes: 0 the server conforms, 1 it does not, 2 usage, policy or setup error, or a written
// output that breaks its schema (a bug in this tool; the file is written all the same).
import { runCli } from './program.ts';

/** Once the command is done, the process ends within this even if a hostile target still holds
 *  a socket open (every exchange has its own budget; this is the last word). */
const EXIT_GRACE_MS = 10_000;

runCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) })
  .then((code) => {
    process.exitCode = code;
  })
  .finally(() => setTimeout(() => process.exit(), EXIT_GRACE_MS).unref());

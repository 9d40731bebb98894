// Browser provisioning, run first by both README commands: cli/install.ts, as
// `cors-conformance install` runs it in a user's project. CC_ENGINES=chromium,firefox limits
// the engines; CC_BROWSERS=playwright|stock|auto chooses the builds (default auto).
import { provisionEngines } from '../cli/install.ts';
import { browserChoiceFrom } from '../engines/detect.ts';
import { wantedEngines } from '../engines/selection.ts';

process.exitCode = provisionEngines(wantedEngines(process.env.CC_ENGINES), browserChoiceFrom(process.env), 'provision');

import type { CaseState } from './model';
import { antiViolence } from './steps/anti-violence/walk';
import { handover } from './steps/handover/walk';
import { intakeAndScope } from './steps/intake-scope/walk';
import { intervention } from './steps/intervention/walk';
import { minorProtection } from './steps/minor-protection/walk';
import { riskCheck } from './steps/risk-check/walk';
import { takeCharge } from './steps/take-charge/walk';

/**
 * The protocol walk: the order of the steps and which branches run. Each step's walk, forms,
 * timings and labels live in its folder under ./steps (see ./steps/registry.ts). Every step is
 * resumable from the state alone, so the walk can be cancelled at any await for continue-as-new
 * and simply run again on the new run. Changing the order or the branches changes the commands a
 * case issues: only behind `patched()` (docs/versioning.md).
 */
export async function runProtocol(s: CaseState): Promise<void> {
  if (!(await intakeAndScope(s))) return;
  await takeCharge(s);
  const risk = await riskCheck(s);

  const branches: Array<Promise<void>> = [intervention(s)];
  // `assistedViolence` is only ever set on protocol revision 2 cases (see riskCheck).
  if (risk.violence || risk.assistedViolence === true) branches.push(antiViolence(s));
  if (risk.unaccompaniedMinor || risk.art403) branches.push(minorProtection(s, risk));
  await Promise.all(branches);

  await handover(s);
}

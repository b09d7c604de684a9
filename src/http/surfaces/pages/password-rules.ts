import type { Core } from '../../../core/tessera.js';
import type { Strings } from '../../shared/pages/strings/index.js';

/** The password rules as the form states them: read from the core's policy settings, never restated. */
export function passwordRules(core: Core, t: Strings): { rules: string[]; minLength: number; maxLength: number } {
  const { minLength, maxLength, history } = core.passwordRules;
  const rules = [t.password.minLength(minLength), t.password.maxLength(maxLength), t.password.notCommon, t.password.notCurrent];
  if (history > 0) rules.push(t.password.history(history));
  rules.push(t.password.phrase);
  return { rules, minLength, maxLength };
}

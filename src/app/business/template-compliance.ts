import type { Business, TemplateKey } from '../../domain/business.ts';
import { checkTemplateChange, describeViolation } from '../../domain/compliance/compliance-rules.ts';
import { AppError } from '../../domain/errors.ts';

/**
 * Refuses a template change that would break a carrier rule (src/domain/compliance/README.md), naming
 * each broken rule, unless the admin forces it. Only the templates being set are judged: a business
 * whose other templates already break a rule can still fix them one at a time. The CLI (`business
 * add/update --template`) and the console call this before anything is stored.
 */
export function assertTemplatesCompliant(
  business: Pick<Business, 'name' | 'templates' | 'consentMode'>,
  changed: readonly TemplateKey[],
  opts: { readonly force?: boolean | undefined } = {},
): void {
  if (opts.force === true || changed.length === 0) return;
  const broken = checkTemplateChange(business, changed);
  if (broken.length === 0) return;
  throw new AppError(
    'COMPLIANCE.TEMPLATE_REFUSED',
    `template change refused, it breaks ${broken.map(describeViolation).join('; ')} (use --force to save it anyway)`,
    { details: { rules: broken.map((v) => v.rule) } },
  );
}

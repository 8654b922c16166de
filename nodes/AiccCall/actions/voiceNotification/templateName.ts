/**
 * A template's name in the Template field's list (From List). n8n's list shows names only, so
 * the name carries the template's variables: how many, first, then which, in the order its text
 * uses them (the order the Variables field wants them): "Appointment reminder (3: TXT_1, DATE,
 * TIME)". The count comes first because the editor's list and field cut a long name short, and it
 * is no longer than that: "(3 variables: …" cut the third name off in the list. A template
 * without variables keeps its plain name.
 *
 * n8n keeps the name of an item picked From List with the field's value (`cachedResultName`), so
 * the node reads the variables back from it and checks the Variables field before any request.
 */
import type { TemplateVariables } from '../../helpers/validation';

const SEPARATOR = ', ';
/** The last "(N: …)" at the end: a template's own name may hold brackets too. */
const FORMAT = /^(.*) \(([1-9]\d*): (.*)\)$/s;

/** The list name of a template with these variables (in the order its text uses them). */
export function templateListName(name: string, variables: readonly string[]): string {
	if (variables.length === 0) return name;
	return `${name} (${variables.length}: ${variables.join(SEPARATOR)})`;
}

/**
 * The template and variables a list name gives, or null for a name not in that form: a template
 * without variables, a name saved before the list gave the count, or one that cannot be read back
 * unambiguously (a variable whose name holds ", "). A template without variables whose own name
 * ends in this form would be read as having them; no seeded or documented name does.
 */
export function parseTemplateListName(listName: string): TemplateVariables | null {
	const match = FORMAT.exec(listName);
	if (!match) return null;
	const [, name, count, names] = match;
	const variables = names.split(SEPARATOR);
	if (Number(count) !== variables.length) return null;
	return { name, variables };
}

/**
 * The variables of the template a Template field's value names, when the template was picked
 * From List and n8n kept its list name; undefined otherwise (By ID, an expression, an older name).
 */
export function pickedTemplate(locator: unknown): TemplateVariables | undefined {
	if (typeof locator !== 'object' || locator === null) return undefined;
	const { __rl, mode, cachedResultName } = locator as Record<string, unknown>;
	if (__rl !== true || mode !== 'list' || typeof cachedResultName !== 'string') return undefined;
	return parseTemplateListName(cachedResultName) ?? undefined;
}

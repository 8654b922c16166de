/**
 * The shared key AICC signs callbacks with (set in the AICC console; see the README): what the
 * AICC Callback Key credential holds and the trigger checks signatures with.
 */

/** The credential type's name, as the trigger refers to it. */
export const CALLBACK_KEY_CREDENTIAL = 'aiccCallbackKeyApi';

/** AICC's console refuses shorter shared keys (cec_04_0028, cec_04_0029). */
export const MIN_CALLBACK_KEY_LENGTH = 16;

/** What is wrong with a shared key, in words a user can act on, or undefined when nothing is. */
export function callbackKeyProblem(key: unknown): string | undefined {
	if (typeof key !== 'string' || key === '') return 'The shared key is empty.';
	if (key.length < MIN_CALLBACK_KEY_LENGTH) {
		return (
			`The shared key has ${key.length} characters; AICC requires at least ` +
			`${MIN_CALLBACK_KEY_LENGTH}. Copy the whole key from the AICC console.`
		);
	}
	return undefined;
}

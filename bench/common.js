'use strict';

/** What both benchmarks share: their command-line numbers, the numbers they call, a token. */

/** The text after `--<name>` on the command line, or `fallback`. */
function option(name, fallback) {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? fallback : process.argv[index + 1];
}

/** The number after `--<name>` on the command line, or `fallback`. */
function argument(name, fallback) {
	const value = option(name);
	return value === undefined ? fallback : Number(value);
}

/** `count` distinct customer numbers, from the `from`th on. */
function customerNumbers(count, from = 0) {
	return Array.from({ length: count }, (_, index) => `138${String(from + index).padStart(8, '0')}`);
}

/** A bearer token straight from the simulator's tokenByAkSk. */
async function fetchToken(url, { appKey, appSecret, lifetime }) {
	const response = await fetch(`${url}/apigovernance/api/oauth/tokenByAkSk`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', 'X-Token-Expire': String(lifetime) },
		body: JSON.stringify({ app_key: appKey, app_secret: appSecret }),
	});
	return (await response.json()).AccessToken;
}

/** A column of a printed table: `value` as text, padded to `width`. */
const column = (value, width) => String(value).padStart(width);

module.exports = { option, argument, customerNumbers, fetchToken, column };

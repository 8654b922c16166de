'use strict';

/**
 * POST /apigovernance/api/oauth/tokenByAkSk: trades the App Key and App Secret for a bearer token.
 * Config: revokeOnIssue (a new token revokes the App's older ones), tokenKey and tokenUnder (other
 * spellings of the answer, as some gateways send it).
 */
const crypto = require('node:crypto');

const MAX_LIFETIME = 3600;

module.exports = {
	name: 'token',
	method: 'POST',
	path: '/apigovernance/api/oauth/tokenByAkSk',
	handle({ sim, body, headers, reply }) {
		if (!body || typeof body !== 'object') {
			return reply(400, {
				error_code: 'APIGW.0101',
				error_msg: 'Incorrect request: the body must be JSON',
			});
		}
		if (body.app_key !== sim.config.appKey || body.app_secret !== sim.config.appSecret) {
			return reply(401, {
				error_code: 'APIGW.0301',
				error_msg: 'Unauthorized operation: incorrect app_key or app_secret',
			});
		}
		const requested =
			headers['x-token-expire'] === undefined ? 600 : Number(headers['x-token-expire']);
		if (!Number.isInteger(requested) || requested < 1 || requested > MAX_LIFETIME) {
			return reply(400, {
				error_code: 'APIGW.0102',
				error_msg: `X-Token-Expire must be 1 to ${MAX_LIFETIME}`,
			});
		}
		const token = crypto.randomBytes(24).toString('hex');
		const now = Date.now();
		if (sim.config.revokeOnIssue) {
			for (const [issued, record] of sim.tokens) {
				if (record.appKey !== body.app_key) continue;
				sim.tokens.delete(issued);
				sim.revokedTokens.push(issued);
			}
		}
		sim.tokens.set(token, { appKey: body.app_key, expiresAt: now + requested * 1000 });
		const rest = {
			ApplyType: 'Bearer',
			CreateTime: String(Math.floor(now / 1000)),
			Expires: String(requested),
			Scope: 'default',
			AppKey: body.app_key,
			UserID: 'simulated-user',
		};
		const withToken = { [sim.config.tokenKey]: token, ...rest };
		return reply(200, sim.config.tokenUnder ? { [sim.config.tokenUnder]: withToken } : withToken);
	},
};

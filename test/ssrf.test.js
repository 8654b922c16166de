'use strict';

/**
 * n8n 2.x's SSRF protection (N8N_SSRF_PROTECTION_ENABLED) refuses connections to private
 * addresses, the simulator's 127.0.0.1 among them, before anything is sent. Its own file: n8n reads
 * the setting once, when this file's copy of n8n-core first sends a request.
 */
process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';
process.env.N8N_SSRF_ALLOWED_HOSTNAMES = 'localhost';

const { setupEach, bidirectional } = require('./setup');

const ctx = setupEach();

const FIX =
	"This n8n's SSRF protection refuses connections to private or restricted addresses. Ask the " +
	"n8n administrator to allow the tenant's host (N8N_SSRF_ALLOWED_HOSTNAMES or " +
	"N8N_SSRF_ALLOWED_IP_RANGES), or check the credential's Base URL.";

const runWith = (fields) => {
	ctx.harness.credentials.add('guarded', {
		appKey: ctx.sim.config.appKey,
		appSecret: ctx.sim.config.appSecret,
		expiresIn: 600,
		...fields,
	});
	return ctx.run({
		parameters: bidirectional(),
		credentialId: 'guarded',
		onError: 'continueRegularOutput',
	});
};
/** The simulator by a host name the protection allows. */
const allowedUrl = () => `http://localhost:${new URL(ctx.sim.url).port}`;

test("a call request n8n's SSRF protection blocks was not sent: not placed", async () => {
	const result = await runWith({ baseUrl: ctx.sim.url, authBaseUrl: allowedUrl() });
	expect(ctx.tokenRequests()).toHaveLength(1);
	expect(ctx.calls()).toHaveLength(0);
	expect(result.main[0]).toMatchObject({
		success: false,
		outcome: 'notPlaced',
		message: "n8n's SSRF protection blocked the bidirectional call request to AICC",
	});
	expect(result.main[0].error).toBe(
		`${new URL(ctx.sim.url).host} is a restricted address for this n8n. ${FIX} Nothing was ` +
			'sent, so no call was placed.',
	);
});

test("a token request n8n's SSRF protection blocks was not sent either", async () => {
	const result = await runWith({ baseUrl: ctx.sim.url });
	expect(ctx.sim.log.entries).toHaveLength(0);
	expect(result.main[0]).toMatchObject({
		success: false,
		outcome: 'notPlaced',
		message: "n8n's SSRF protection blocked the token request (tokenByAkSk) to AICC",
	});
});

test('a host the protection allows is reached as usual', async () => {
	const result = await runWith({ baseUrl: allowedUrl() });
	expect(result.main[0].success).toBe(true);
	expect(ctx.calls()).toHaveLength(1);
});

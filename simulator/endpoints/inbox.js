'use strict';

/**
 * POST /inbox/<anything>: stands in for the CRM or chat webhook an example posts to, so that
 * `npm start`'s examples end on their success path (a newcomer saw each outcome go to "CRM Not
 * Reached", the examples' crm.example.com being a placeholder). Answers 200 `{"received":true}`
 * and hands what it received to the simulator's `onInbox`, e.g. to print it.
 */
module.exports = {
	name: 'inbox',
	method: 'POST',
	path: '/inbox',
	pathPattern: /^\/inbox\/.+/,
	handle({ sim, path, body, rawBody, reply }) {
		const message = { path, body: body ?? rawBody };
		if (typeof sim.config.onInbox === 'function') sim.config.onInbox(message);
		reply(200, { received: true });
	},
};

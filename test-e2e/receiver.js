'use strict';

/**
 * A local HTTP receiver on 127.0.0.1 that stands in for the webhooks example workflows post
 * to (a CRM, a chat channel): it answers every request with 200 and records it.
 */
const http = require('node:http');

function createReceiver() {
	const receiver = {
		/** Requests received: { method, path, headers, body } (body parsed when it is JSON). */
		requests: [],
		url: undefined,
	};
	const server = http.createServer(async (req, res) => {
		const chunks = [];
		for await (const chunk of req) chunks.push(chunk);
		const text = Buffer.concat(chunks).toString('utf8');
		let body = text;
		try {
			body = JSON.parse(text);
		} catch {
			// Not JSON: keep the text.
		}
		receiver.requests.push({ method: req.method, path: req.url, headers: req.headers, body });
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end('{"ok":true}');
	});

	/** The requests received at a path. */
	receiver.at = (path) => receiver.requests.filter((request) => request.path === path);

	receiver.start = () =>
		new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => {
				receiver.url = `http://127.0.0.1:${server.address().port}`;
				resolve(receiver);
			});
		});

	receiver.stop = () =>
		new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});

	return receiver;
}

module.exports = { createReceiver };

'use strict';

/**
 * A scripted OpenAI-compatible chat model on 127.0.0.1, for the AI Agent end-to-end test:
 * POST /chat/completions answers with whatever `reply(body)` decides (a tool call or a final
 * message), as JSON or, when the request asks for it, as a server-sent event stream. Every
 * request body is kept in `requests`, so a test can read the tool schema the agent sent and
 * the tool results it passed back. Dev-only; no network beyond the loopback.
 */
const http = require('node:http');

const MODEL = 'aicc-stub-model';

/**
 * A chat completion message: `{ toolCall: { name, arguments } }`, several tool calls at once
 * (`{ toolCalls: [{ name, arguments }, …] }`), or `{ content }`.
 */
function messageOf(answer, id) {
	const calls = answer.toolCalls ?? (answer.toolCall ? [answer.toolCall] : []);
	if (calls.length === 0) return { role: 'assistant', content: answer.content };
	return {
		role: 'assistant',
		content: null,
		tool_calls: calls.map((call, index) => ({
			id: `call_${id}_${index}`,
			type: 'function',
			function: { name: call.name, arguments: JSON.stringify(call.arguments) },
		})),
	};
}

const USAGE = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };

function completion(message, id) {
	return {
		id: `chatcmpl-${id}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: MODEL,
		choices: [
			{
				index: 0,
				message,
				finish_reason: message.tool_calls ? 'tool_calls' : 'stop',
				logprobs: null,
			},
		],
		usage: USAGE,
	};
}

/** The same answer as a stream of chunks: the whole delta in one chunk, then the finish. */
function chunks(message, id) {
	const base = {
		id: `chatcmpl-${id}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model: MODEL,
	};
	const delta = message.tool_calls
		? {
				role: 'assistant',
				content: null,
				tool_calls: message.tool_calls.map((call, index) => ({ index, ...call })),
			}
		: { role: 'assistant', content: message.content };
	return [
		{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
		{
			...base,
			choices: [{ index: 0, delta: {}, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
			usage: USAGE,
		},
	];
}

/** Starts the stub; `reply(body, index)` returns the answer to the index-th chat completion. */
function createOpenAiStub({ reply }) {
	const stub = { requests: [], url: '' };
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			const send = (status, body) => {
				res.writeHead(status, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (req.method === 'GET' && req.url.endsWith('/models')) {
				return send(200, {
					object: 'list',
					data: [{ id: MODEL, object: 'model', owned_by: 'stub' }],
				});
			}
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				return send(404, { error: { message: `The stub serves no ${req.method} ${req.url}` } });
			}
			const body = JSON.parse(text);
			const index = stub.requests.push(body) - 1;
			let message;
			try {
				message = messageOf(reply(body, index), index);
			} catch (error) {
				return send(500, { error: { message: `The stub's script failed: ${error.message}` } });
			}
			if (!body.stream) return send(200, completion(message, index));
			res.writeHead(200, { 'Content-Type': 'text/event-stream' });
			for (const chunk of chunks(message, index)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
			res.end('data: [DONE]\n\n');
			return undefined;
		});
	});
	stub.start = () =>
		new Promise((resolve) => {
			server.listen(0, '127.0.0.1', () => {
				stub.url = `http://127.0.0.1:${server.address().port}/v1`;
				resolve(stub);
			});
		});
	stub.stop = () => new Promise((resolve) => server.close(() => resolve()));
	return stub;
}

module.exports = { createOpenAiStub, MODEL };

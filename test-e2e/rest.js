'use strict';

/**
 * n8n's REST API as the editor uses it, for the end-to-end tests: executions of a workflow,
 * their run data, and the Retry button (POST /rest/executions/:id/retry).
 */

/**
 * n8n answers an execution's data in the "flatted" format: a JSON array whose first entry is the
 * value, every string and object in it replaced by the index (as a string) of its entry.
 */
function parseFlatted(text) {
	const input = JSON.parse(text);
	const revived = new Map();
	const at = (index) => {
		if (revived.has(index)) return revived.get(index);
		const value = input[index];
		if (typeof value !== 'object' || value === null) return value;
		const out = Array.isArray(value) ? [] : {};
		revived.set(index, out);
		for (const [key, member] of Object.entries(value))
			out[key] = typeof member === 'string' ? at(Number(member)) : member;
		return out;
	};
	return at(0);
}

function restOf(instance) {
	let cookie;
	const send = async (method, route, body) =>
		await fetch(`${instance.url}/rest${route}`, {
			method,
			headers: { 'Content-Type': 'application/json', cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	const call = async (method, route, body) => {
		cookie ??= await instance.login();
		let response = await send(method, route, body);
		// A restarted n8n no longer knows the session: log in again.
		if (response.status === 401) {
			cookie = await instance.login();
			response = await send(method, route, body);
		}
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} ${route}: HTTP ${response.status} ${text}`);
		return JSON.parse(text).data;
	};
	const finished = (execution) => !['new', 'running', 'waiting'].includes(execution.status);

	return {
		/** The workflow's executions, newest first: { id, status, mode, retryOf }. */
		async executions(workflowId) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const data = await call('GET', `/executions?filter=${filter}&limit=100`);
			return (data.results ?? data).map(({ id, status, mode, retryOf }) => ({
				id: String(id),
				status,
				mode,
				retryOf: retryOf === null || retryOf === undefined ? null : String(retryOf),
			}));
		},

		/** Waits until the workflow has `count` executions, all finished; returns them. */
		async settled(workflowId, count, timeoutMs = 60_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const list = await this.executions(workflowId);
				if (list.length >= count && list.every(finished)) return list;
				if (Date.now() > deadline)
					throw new Error(`executions of ${workflowId}: ${JSON.stringify(list)}`);
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
		},

		/** The Retry button: with the original workflow, or the currently saved one. */
		async retry(executionId, loadWorkflow) {
			await call('POST', `/executions/${executionId}/retry`, { loadWorkflow });
		},

		/** A node's output items (json) in an execution, per output. */
		async nodeOutput(executionId, nodeName) {
			const execution = await call('GET', `/executions/${executionId}`);
			const data = parseFlatted(execution.data);
			const runs = data.resultData.runData[nodeName] ?? [];
			const task = runs[runs.length - 1];
			return (task?.data?.main ?? []).map((items) => (items ?? []).map((item) => item.json));
		},
	};
}

module.exports = { restOf };

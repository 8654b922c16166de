'use strict';

/**
 * Runs real workflows through n8n-core's WorkflowExecute with the package loaded as n8n
 * loads it (package.json's "n8n" field and dist/), credentials kept the way n8n keeps them
 * (preAuthentication's token written back to the stored credential), and real HTTP. Calls the
 * trigger's webhook() through n8n-core's WebhookContext, as n8n's webhook server does.
 */
const crypto = require('node:crypto');
const path = require('node:path');
const qs = require('qs');
const {
	ExecuteContext,
	RoutingNode,
	PackageDirectoryLoader,
	WorkflowExecute,
	ExecutionLifecycleHooks,
	WebhookContext,
	DataDeduplicationService,
	LoadOptionsContext,
} = require('n8n-core');
const {
	Workflow,
	ICredentialsHelper,
	NodeHelpers,
	createRunExecutionData,
	createEmptyRunExecutionData,
} = require('n8n-workflow');

const PACKAGE_DIR = path.join(__dirname, '..');
const NODE_TYPE = 'n8n-nodes-aicc.aiccCall';
const TRIGGER_TYPE = 'n8n-nodes-aicc.aiccCallEventTrigger';

let loaded;
async function loadPackage() {
	if (!loaded) {
		const loader = new PackageDirectoryLoader(PACKAGE_DIR);
		loaded = loader.loadAll().then(() => loader);
	}
	return loaded;
}

function nodeTypesOf(loader) {
	const byName = (type) => {
		const [pkg, name] = type.split('.');
		if (pkg !== loader.packageName || !loader.nodeTypes[name])
			throw new Error(`unknown node type ${type}`);
		return loader.nodeTypes[name].type;
	};
	return {
		getByName: byName,
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(byName(type), version),
		getKnownTypes: () => ({}),
	};
}

/** Credentials as n8n keeps them: stored data per id, with the expirable token written back. */
class CredentialStore extends ICredentialsHelper {
	constructor(loader) {
		super();
		this.loader = loader;
		this.stored = new Map();
		this.preAuthCalls = 0;
		/** Credentials written back after preAuthentication (n8n encrypts and saves each). */
		this.writes = 0;
		this.reads = 0;
	}

	type(name) {
		return this.loader.credentialTypes[name].type;
	}

	add(id, data, type = 'aiccApi') {
		this.stored.set(id, { type, data: { ...data } });
		return { id, name: `credential ${id}` };
	}

	data(id) {
		return this.stored.get(id).data;
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		for (const [outerKey, values] of Object.entries(authenticate.properties)) {
			requestOptions[outerKey] = requestOptions[outerKey] ?? {};
			for (const [key, value] of Object.entries(values)) {
				requestOptions[outerKey][key] = String(
					workflow.expression.getSimpleParameterValue(
						node,
						value,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					) ?? '',
				);
			}
		}
		return requestOptions;
	}

	async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
		const type = this.type(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.preAuthCalls += 1;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const ref = node.credentials?.[typeName];
		if (ref) {
			this.writes += 1;
			Object.assign(this.data(ref.id), output);
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(helpers, credentials, typeName) {
		return await this.type(typeName).preAuthentication.call(helpers, credentials);
	}

	async getCredentials() {
		throw new Error('not used');
	}

	async getDecrypted(_additionalData, nodeCredentials, typeName) {
		this.reads += 1;
		const defaults = {};
		for (const property of this.type(typeName).properties)
			defaults[property.name] = property.default;
		return { ...defaults, ...this.data(nodeCredentials.id) };
	}

	async updateCredentials(nodeCredentials, _type, data) {
		this.stored.get(nodeCredentials.id).data = { ...data };
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(typeName) {
		return this.type(typeName).properties;
	}
}

/**
 * n8n's processed-data store (what `checkProcessedAndRecord` and Remove Duplicates use) as n8n's
 * DeduplicationHelper keeps it in "entries" mode: one list of MD5 hashes per workflow and context
 * (`n:<node id>` for the node scope), new entries appended, the oldest dropped past maxEntries;
 * read, changed and written back on every call. `writes` counts the calls that wrote.
 */
class ProcessedDataStore {
	constructor() {
		this.rows = new Map();
		this.writes = 0;
		this.overwrites = 0;
	}

	/**
	 * The next `count` writes are undone at once, as when another queue-mode worker read the list
	 * before them and writes it back after (n8n's read, change, write back is not atomic).
	 */
	overwriteNext(count = 1) {
		this.overwrites = count;
	}

	static hash(value) {
		return crypto.createHash('md5').update(value.toString()).digest('base64');
	}

	row(scope, { workflow, node }) {
		const key = JSON.stringify([workflow.id, scope === 'node' ? `n:${node.id}` : '']);
		if (!this.rows.has(key)) this.rows.set(key, []);
		return this.rows.get(key);
	}

	async checkProcessedAndRecord(items, scope, contextData, options) {
		if (!contextData.workflow.id)
			throw Object.assign(new Error('no workflow id'), { code: 'ERR_ASSERTION' });
		const row = this.row(scope, contextData);
		const before = [...row];
		const known = new Set(row);
		const result = { new: [], processed: [] };
		for (const item of items) {
			const hash = ProcessedDataStore.hash(item);
			if (known.has(hash)) result.processed.push(item);
			else {
				result.new.push(item);
				row.push(hash);
			}
		}
		if (options.maxEntries) row.splice(0, Math.max(0, row.length - options.maxEntries));
		this.writes += 1;
		if (this.overwrites > 0) {
			this.overwrites -= 1;
			row.splice(0, row.length, ...before);
		}
		return result;
	}

	async removeProcessed(items, scope, contextData) {
		const row = this.row(scope, contextData);
		for (const item of items) {
			const index = row.indexOf(ProcessedDataStore.hash(item));
			if (index !== -1) row.splice(index, 1);
		}
		this.writes += 1;
	}

	async clearAllProcessedItems(scope, contextData) {
		this.row(scope, contextData).length = 0;
	}

	async getProcessedDataCount(scope, contextData) {
		return this.row(scope, contextData).length;
	}
}

/** The process's store: n8n-core takes one, once; each harness uses workflow IDs of its own. */
const processedData = new ProcessedDataStore();
let storeReady;
function ensureProcessedDataStore() {
	storeReady ??= DataDeduplicationService.init(processedData);
	return storeReady;
}

/** What n8n gives every node it runs, with `extra`; no test calls these URLs. */
function additionalDataWith(extra) {
	return {
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: 'http://127.0.0.1/formBaseUrl',
		formWaitingBaseUrl: 'http://127.0.0.1/formWaitingBaseUrl',
		formTestBaseUrl: 'http://127.0.0.1/formTestBaseUrl',
		webhookBaseUrl: 'http://127.0.0.1/webhookBaseUrl',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhookWaitingBaseUrl',
		webhookTestBaseUrl: 'http://127.0.0.1/webhookTestBaseUrl',
		mcpBaseUrl: 'http://127.0.0.1/mcpBaseUrl',
		mcpTestBaseUrl: 'http://127.0.0.1/mcpTestBaseUrl',
		variables: {},
		logAiEvent: () => {},
		...extra,
	};
}

let harnesses = 0;

async function createHarness() {
	const loader = await loadPackage();
	await ensureProcessedDataStore();
	const harnessId = ++harnesses;
	const workflowId = `wf-${harnessId}`;
	const credentials = new CredentialStore(loader);
	let executions = 0;

	/**
	 * Runs one AICC Call node over `items` (plain JSON objects) and returns
	 * { main: json[], errors: json[], items: INodeExecutionData[][], error, run, hints }.
	 * `retryOnFail`: true (2 tries) or the number of tries (n8n allows 2 to 5); n8n takes a wait
	 * of 0 between tries as its default of 1 s, so the tries here are 1 ms apart.
	 * `mode`: the execution mode n8n runs it in ('manual', 'webhook', …).
	 * `retryOf`: what an earlier run returned: this run is n8n's retry of that execution (the
	 * Retry button), mode 'retry', a new execution ID, the same input, and the context data and
	 * custom data the failed execution saved (copied as through n8n's database).
	 * `settings`: the workflow's settings, e.g. { timezone: 'Asia/Shanghai' }.
	 */
	async function run({
		parameters,
		items = [{}],
		credentialId = 'aicc',
		onError,
		retryOnFail,
		retryOf,
		mode = retryOf ? 'retry' : 'manual',
		settings = {},
	}) {
		executions += 1;
		const node = {
			id: 'aicc-node',
			name: 'AICC Call',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: {
				aiccApi: credentials.stored.has(credentialId)
					? { id: credentialId, name: 'AICC' }
					: undefined,
			},
			...(onError ? { onError } : {}),
			...(retryOnFail
				? {
						retryOnFail: true,
						maxTries: retryOnFail === true ? 2 : retryOnFail,
						waitBetweenTries: 1,
					}
				: {}),
		};
		const workflowData = {
			id: workflowId,
			name: 'test',
			nodes: [node],
			connections: {},
			active: false,
			settings,
		};
		const workflow = new Workflow({ ...workflowData, nodeTypes: nodeTypesOf(loader) });
		// Unique in the process, as n8n's execution IDs are: the node remembers calls per execution.
		const executionId = `exec-${harnessId}-${executions}`;
		const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
		const additionalData = additionalDataWith({
			credentialsHelper: credentials,
			hooks,
			executionId,
			executeWorkflow: async () => {
				throw new Error('not used');
			},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			currentNodeExecutionIndex: 0,
		});
		const saved = retryOf ? JSON.parse(JSON.stringify(retryOf.run.data)) : undefined;
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{ node, data: { main: [items.map((json) => ({ json }))] }, source: null },
				],
				...(saved ? { contextData: saved.executionData.contextData } : {}),
			},
			...(saved?.resultData.metadata
				? { resultData: { metadata: saved.resultData.metadata } }
				: {}),
		});
		const result = await new WorkflowExecute(
			additionalData,
			mode,
			runExecutionData,
		).processRunExecutionData(workflow);
		const taskData = result.data.resultData.runData['AICC Call']?.[0];
		const outputs = taskData?.data?.main ?? [];
		return {
			run: result,
			items: outputs,
			main: (outputs[0] ?? []).map((item) => item.json),
			errors: (outputs[1] ?? []).map((item) => item.json),
			error: result.data.resultData.error,
			hints: taskData?.hints ?? [],
		};
	}

	/**
	 * The credential test of a stored credential, as n8n 2.41.1 runs it (CredentialsTester's
	 * runRequestTest): the credential's test.request as the routing of a stand-in node, sent by
	 * n8n-core's RoutingNode with the credential (so preAuthentication and authenticate apply).
	 * Returns what n8n answers the editor: { status: 'OK', message } or { status: 'Error', message },
	 * its rules (responseCode) applied as n8n applies them, and the error itself.
	 */
	async function testCredential(credentialId = 'aicc', typeName = 'aiccApi') {
		const credentialType = credentials.type(typeName);
		const credentialsDecrypted = {
			id: credentialId,
			name: 'AICC',
			type: typeName,
			data: await credentials.getDecrypted(undefined, { id: credentialId }, typeName),
		};
		const nodeType = {
			description: {
				displayName: 'No Operation',
				name: 'n8n-nodes-base.noOp',
				group: ['transform'],
				version: 1,
				description: '',
				defaults: {},
				inputs: ['main'],
				outputs: ['main'],
				credentials: [{ name: typeName, required: true }],
				properties: [
					{
						displayName: 'Temp',
						name: 'temp',
						type: 'string',
						routing: { request: credentialType.test.request },
						default: '',
					},
				],
			},
		};
		const node = {
			id: 'temp',
			parameters: {},
			name: 'Temp-Node',
			type: nodeType.description.name,
			typeVersion: 1,
			position: [0, 0],
			credentials: { [typeName]: { id: credentialId, name: 'AICC' } },
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: {
				getByName: () => nodeType,
				getByNameAndVersion: () => nodeType,
				getKnownTypes: () => ({}),
			},
		});
		const additionalData = additionalDataWith({ credentialsHelper: credentials });
		const context = new ExecuteContext(
			workflow,
			node,
			additionalData,
			'internal',
			createEmptyRunExecutionData(),
			0,
			[],
			{ main: [[{ json: {} }]] },
			{ node, data: {}, source: null },
			[],
		);
		try {
			await workflow.expression.acquireIsolate?.();
			await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
			return { status: 'OK', message: 'Connection successful!' };
		} catch (error) {
			const response = error.cause?.response;
			if (!response) {
				// Without an answer n8n shows the network error's code (e.g. ECONNREFUSED), if any.
				return { status: 'Error', message: error.cause?.code ?? error.message, error };
			}
			const rule = (credentialType.test.rules ?? []).find(
				({ type, properties }) => type === 'responseCode' && properties.value === response.status,
			);
			const message =
				rule?.properties.message ??
				(response.statusText || `Received HTTP status code: ${response.status}`);
			return { status: 'Error', message, status_code: response.status, error };
		} finally {
			await workflow.expression.releaseIsolate?.();
		}
	}

	/**
	 * Calls one of the node's listSearch methods (a resource locator's "From List") as n8n's editor
	 * does: on n8n-core's LoadOptionsContext for an AICC Call node holding `parameters`. Returns its
	 * { results, paginationToken }, or throws what it threw.
	 */
	async function listSearch({
		method,
		filter,
		paginationToken,
		parameters = {},
		credentialId = 'aicc',
	}) {
		const node = {
			id: 'aicc-node',
			name: 'AICC Call',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: { aiccApi: { id: credentialId, name: 'AICC' } },
		};
		const nodeTypes = nodeTypesOf(loader);
		const workflow = new Workflow({
			id: 'wf',
			name: 'test',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes,
			settings: {},
		});
		const additionalData = additionalDataWith({
			credentialsHelper: credentials,
			currentNodeParameters: parameters,
		});
		const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters');
		const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
		return await nodeType.methods.listSearch[method].call(context, filter, paginationToken);
	}

	return { run, listSearch, testCredential, credentials, loader, processedData, workflowId };
}

/** The answer a webhook gives, kept as n8n's response object would send it. */
function responseRecorder() {
	return {
		statusCode: null,
		body: undefined,
		status(code) {
			this.statusCode = code;
			return this;
		},
		json(value) {
			this.body = value;
			return this;
		},
	};
}

/**
 * The query as n8n's Express app parses it (`app.set('query parser', 'extended')`: qs with
 * prototypes allowed), from the request URL's raw query.
 */
function expressQuery(url) {
	const at = url.indexOf('?');
	return at === -1 ? {} : qs.parse(url.slice(at + 1), { allowPrototypes: true });
}

/**
 * Delivers one request to the built AICC Trigger as n8n's webhook server does: a
 * workflow holding the trigger with `parameters` (n8n fills in the defaults), its webhook()
 * called on n8n-core's WebhookContext. `request` is what n8n's body parser leaves: query, body
 * and rawBody; given a `url` (path and raw query, as the request line had it), `originalUrl` and
 * `url` are set and the query is parsed from it as n8n's Express does. `credentials`: the
 * trigger's credentials by type, as stored data (e.g. { aiccCallbackKeyApi: { key } }), read
 * through n8n-core's credential lookup. `timezone`: the workflow's time zone setting. `mode`
 * 'manual' is a test event from the editor. Returns
 * what webhook() returned and the answer it sent: { result, status, answer }.
 */
async function callTriggerWebhook({
	request,
	parameters = {},
	credentials = {},
	workflowId = 'wf',
	nodeId = 'trigger-1',
	mode = 'webhook',
	timezone,
}) {
	const loader = await loadPackage();
	const store = new CredentialStore(loader);
	const node = {
		id: nodeId,
		name: 'AICC Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: Object.fromEntries(
			Object.entries(credentials).map(([type, data]) => [
				type,
				store.add(`${nodeId}-${type}`, data, type),
			]),
		),
	};
	const nodeTypes = nodeTypesOf(loader);
	const workflow = new Workflow({
		id: workflowId,
		name: 'Calls',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		settings: timezone ? { timezone } : {},
	});
	const response = responseRecorder();
	const fromUrl =
		request.url === undefined ? {} : { originalUrl: request.url, query: expressQuery(request.url) };
	const additionalData = additionalDataWith({
		httpRequest: {
			headers: { 'content-type': 'application/json' },
			params: {},
			...fromUrl,
			...request,
		},
		httpResponse: response,
		credentialsHelper: store,
	});
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const [webhookDescription] = nodeType.description.webhooks;
	const webhookData = {
		httpMethod: webhookDescription.httpMethod,
		node: node.name,
		path: webhookDescription.path,
		webhookDescription,
		workflowId,
		workflowExecuteAdditionalData: additionalData,
		isTest: mode === 'manual',
	};
	const context = new WebhookContext(workflow, node, additionalData, mode, webhookData, []);
	const result = await nodeType.webhook.call(context);
	return { result, status: response.statusCode, answer: response.body };
}

module.exports = {
	createHarness,
	callTriggerWebhook,
	loadPackage,
	NODE_TYPE,
	TRIGGER_TYPE,
	PACKAGE_DIR,
};

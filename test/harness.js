'use strict';

/**
 * Runs real workflows through n8n-core's WorkflowExecute with the package loaded as n8n
 * loads it (package.json's "n8n" field and dist/), credentials kept the way n8n keeps them
 * (preAuthentication's token written back to the stored credential), and real HTTP. Calls the
 * trigger's webhook() through n8n-core's WebhookContext, as n8n's webhook server does.
 */
const path = require('node:path');
const {
	PackageDirectoryLoader,
	WorkflowExecute,
	ExecutionLifecycleHooks,
	WebhookContext,
	LoadOptionsContext,
} = require('n8n-core');
const {
	Workflow,
	ICredentialsHelper,
	NodeHelpers,
	createRunExecutionData,
} = require('n8n-workflow');

const PACKAGE_DIR = path.join(__dirname, '..');
const NODE_TYPE = 'n8n-nodes-aicc.aiccCall';
const TRIGGER_TYPE = 'n8n-nodes-aicc.aiccCallTrigger';

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
		if (ref) Object.assign(this.data(ref.id), output);
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
	const harnessId = ++harnesses;
	const credentials = new CredentialStore(loader);
	let executions = 0;

	/**
	 * Runs one AICC Call node over `items` (plain JSON objects) and returns
	 * { main: json[], errors: json[], items: INodeExecutionData[][], error, run, hints }.
	 * `retryOnFail`: true (2 tries) or the number of tries (n8n allows 2 to 5); n8n takes a wait
	 * of 0 between tries as its default of 1 s, so the tries here are 1 ms apart.
	 * `withoutExecutionId`: runs as a context that has no execution ID.
	 */
	async function run({
		parameters,
		items = [{}],
		credentialId = 'aicc',
		onError,
		retryOnFail,
		withoutExecutionId,
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
			id: 'wf',
			name: 'test',
			nodes: [node],
			connections: {},
			active: false,
			settings: {},
		};
		const workflow = new Workflow({ ...workflowData, nodeTypes: nodeTypesOf(loader) });
		// Unique in the process, as n8n's execution IDs are: the node remembers calls per execution.
		const executionId = `exec-${harnessId}-${executions}`;
		const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
		const additionalData = additionalDataWith({
			credentialsHelper: credentials,
			hooks,
			executionId: withoutExecutionId ? undefined : executionId,
			executeWorkflow: async () => {
				throw new Error('not used');
			},
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			currentNodeExecutionIndex: 0,
		});
		const runExecutionData = createRunExecutionData({
			executionData: {
				nodeExecutionStack: [
					{ node, data: { main: [items.map((json) => ({ json }))] }, source: null },
				],
			},
		});
		const result = await new WorkflowExecute(
			additionalData,
			'manual',
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

	return { run, listSearch, credentials, loader };
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
 * Delivers one request to the built AICC Call Event Trigger as n8n's webhook server does: a
 * workflow holding the trigger with `parameters` (n8n fills in the defaults), its webhook()
 * called on n8n-core's WebhookContext. `request` is what n8n's body parser leaves: query, body
 * and rawBody. `mode` 'manual' is a test event from the editor. Returns what webhook() returned
 * and the answer it sent: { result, status, answer }.
 */
async function callTriggerWebhook({
	request,
	parameters = {},
	workflowId = 'wf',
	nodeId = 'trigger-1',
	mode = 'webhook',
}) {
	const loader = await loadPackage();
	const node = {
		id: nodeId,
		name: 'AICC Call Event Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const nodeTypes = nodeTypesOf(loader);
	const workflow = new Workflow({
		id: workflowId,
		name: 'Calls',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		settings: {},
	});
	const response = responseRecorder();
	const additionalData = additionalDataWith({
		httpRequest: { headers: { 'content-type': 'application/json' }, params: {}, ...request },
		httpResponse: response,
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

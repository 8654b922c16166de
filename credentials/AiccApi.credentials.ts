import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { describeCredentialTestStatus, describeRedirectedCredentialTest } from '../shared/failures';
import { departing } from '../shared/gate';
import {
	DEFAULT_TOKEN_LIFETIME,
	EXCHANGE_PATH,
	MAX_TOKEN_LIFETIME,
	obtainAccessToken,
	tokenIssuedFor,
	tokenKeyOf,
} from '../shared/token';

export class AiccApi implements ICredentialType {
	name = 'aiccApi';

	displayName = 'AICC API';

	icon: Icon = {
		light: 'file:../shared/icons/aicc.svg',
		dark: 'file:../shared/icons/aicc.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-aicc/n8n-nodes-aicc#the-credential-aicc-api';

	// The credential can place calls: only this package's nodes may use it, not the HTTP Request
	// node. Names as in the node descriptions; n8n prefixes the package and adds the AI tool variant.
	supportedNodes = ['aiccCall'];

	restrictToSupportedNodes = true as const;

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://service.besclouds.com',
			description:
				"The tenant's AICC address, with https:// and, if it has one, a port. The node appends " +
				'the API paths to it.',
		},
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
			description:
				"The App Key (AK) of an App in the tenant's API Fabric. Huawei's side issues it with the " +
				'App Secret, not a menu of the tenant: ask your AICC operations contact.',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The App Secret (SK) issued with the App Key',
		},
		{
			displayName: 'Token Lifetime (Seconds)',
			name: 'expiresIn',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_TOKEN_LIFETIME },
			default: DEFAULT_TOKEN_LIFETIME,
			description:
				'How long each access token lives, sent to AICC as X-Token-Expire (1 to 3600). The node ' +
				'gets a new token when AICC rejects the old one.',
		},
		{
			displayName: 'Auth Base URL',
			name: 'authBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://service.besclouds.com:28070',
			description:
				'Where tokenByAkSk is served, when not at the base URL (some tenants serve it on another ' +
				'port, e.g. 28070). Leave empty to use the base URL.',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the TLS certificate cannot be verified, for on-premises ' +
				'tenants with a self-signed certificate',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Token Issued For',
			name: 'tokenIssuedFor',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	// n8n stores all it returns in the credential: the token, and which App Key, App Secret and
	// URLs it was issued for (a hash keyed by the token), so that the node does not send it once
	// the user changed them (n8n keeps the hidden fields on an edit).
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const accessToken = await obtainAccessToken(this.helpers, credentials);
		return { accessToken, tokenIssuedFor: tokenIssuedFor(accessToken, tokenKeyOf(credentials)) };
	}

	// A function rather than n8n's generic expressions: it runs on every request, and
	// evaluating two expressions per call costs more than the rest of the node's own work.
	// n8n calls it just before sending (again when it re-sends after a 401), so it is also where
	// a paced request leaves, or waits for its turn to be re-sent.
	authenticate: IAuthenticate = async (credentials, requestOptions) => {
		await departing(credentials);
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${String(credentials.accessToken)}`,
				'X-APP-Key': String(credentials.appKey),
			},
		};
	};

	// Proves the App Key and App Secret with a real token exchange; places no call. It follows no
	// redirect: the redirected request would carry the App Secret (and the stored token) elsewhere.
	// n8n's editor heads a failed test with "Couldn't connect with these settings" and shows the
	// test's message under it: each says what went wrong and how to fix it. With no token stored,
	// n8n runs preAuthentication first, which says so for every failure; with one stored, n8n
	// sends this request, a 401 makes it run preAuthentication, and the rules below word the other
	// statuses. A host that cannot be reached then shows n8n's own words (e.g. ECONNREFUSED).
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL: '={{$credentials.authBaseUrl ? $credentials.authBaseUrl : $credentials.baseUrl}}',
			url: EXCHANGE_PATH,
			headers: {
				'Content-Type': 'application/json',
				'X-Token-Expire': '={{String($credentials.expiresIn)}}',
			},
			body: {
				app_key: '={{$credentials.appKey}}',
				app_secret: '={{$credentials.appSecret}}',
			},
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
			disableFollowRedirect: true,
		},
		rules: [
			...[301, 302, 303, 307, 308].map((status) => ({
				type: 'responseCode' as const,
				properties: { value: status, message: describeRedirectedCredentialTest(status) },
			})),
			...[400, 403, 404, 405, 418, 500, 502, 503, 504].map((status) => ({
				type: 'responseCode' as const,
				properties: { value: status, message: describeCredentialTestStatus(status) },
			})),
		],
	};
}

import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { CALLBACK_KEY_CREDENTIAL, MIN_CALLBACK_KEY_LENGTH } from '../shared/callbackKey';

/**
 * The shared key AICC signs its callbacks with. Only the AICC Trigger uses it, to
 * check signatures; it sends nothing anywhere, so it has no `authenticate` (and is not offered to
 * the HTTP Request node). Its test runs in the trigger (`testedBy`): AICC has no API that could
 * prove a callback key, so the test checks what AICC's console requires of one.
 */
export class AiccCallbackKeyApi implements ICredentialType {
	name = CALLBACK_KEY_CREDENTIAL;

	displayName = 'AICC Callback Key API';

	icon: Icon = {
		light: 'file:../shared/icons/aicc.svg',
		dark: 'file:../shared/icons/aicc.dark.svg',
	};

	documentationUrl = 'https://github.com/n8n-nodes-aicc/n8n-nodes-aicc#signed-callbacks';

	properties: INodeProperties[] = [
		{
			displayName:
				'AICC signs a callback with this key when the callback URL was given in the API request ' +
				'(Callback URL) and the key is set in the AICC console: for voice notifications under ' +
				'Config Center > Expansion and Integration > Voice Notification, for two-way calls in ' +
				"the release callback's authentication settings (Shared Key). URLs set only in the " +
				'console are never signed. Huawei documents the signature as SHA-256 of ' +
				'key_timestamp_nonce_<sorted parameters>, but its Java sample suggests HMAC-SHA256: ' +
				'the trigger accepts either.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Shared Key',
			name: 'sharedSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The shared key exactly as set in the AICC console (at least ' +
				`${MIN_CALLBACK_KEY_LENGTH} characters)`,
		},
	];
}

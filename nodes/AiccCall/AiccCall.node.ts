import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { methods, properties } from './actions/resources';
import { router } from './actions/router';

export class AiccCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AICC Call',
		name: 'aiccCall',
		icon: {
			light: 'file:../../shared/icons/aicc.svg',
			dark: 'file:../../shared/icons/aicc.dark.svg',
		},
		group: ['output'],
		version: 1,
		// Each operation's name, by resource and operation, as its file declares it. n8n's lint
		// wants one string literal here, so a test checks it against the operation files.
		subtitle:
			// eslint-disable-next-line max-len
			'={{ {"call:createBidirectional": "Create Bidirectional Call", "call:createAnonymous": "Create Anonymous Call", "call:getState": "Get Call State", "call:getRecords": "Get Call Records", "call:getRecordingUrl": "Get Recording URL", "voiceNotification:create": "Create Voice Notification", "voiceNotification:getVoices": "Get Voices"}[$parameter["resource"] + ":" + $parameter["operation"]] }}',
		description:
			'Place calls through Huawei AICC (AI Contact Center, formerly CEC) and follow them up',
		// Used as given; n8n appends its tracking query to the codex file's link, after the anchor.
		documentationUrl: 'https://github.com/n8n-nodes-aicc/n8n-nodes-aicc#the-node-aicc-call',
		defaults: { name: 'AICC Call' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aiccApi', required: true }],
		properties,
	};

	methods = methods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

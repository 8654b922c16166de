import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as call from './actions/call';
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
		// Each operation's name, as its file declares it. n8n's lint wants one string literal here,
		// so a test checks it against the operation files.
		subtitle:
			// eslint-disable-next-line max-len
			'={{ {"createBidirectional": "Create Bidirectional Call", "createAnonymous": "Create Anonymous Call", "getState": "Get Call State", "getRecords": "Get Call Records", "getRecordingUrl": "Get Recording URL"}[$parameter["operation"]] }}',
		description:
			'Place calls through Huawei AICC (AI Contact Center, formerly CEC) and follow them up',
		defaults: { name: 'AICC Call' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'aiccApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Call', value: 'call' }],
				default: 'call',
			},
			...call.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}

import type { IDataObject, IExecuteFunctions, IHttpRequestMethods } from 'n8n-workflow';

import { cybersourceApiRequest } from '../../transport';
import { jsonObject, param } from '../fields';
import type { Operation } from '../types';

/** Any Cybersource endpoint, authenticated like the rest. */
export const call: Operation = {
	name: 'Call',
	action: 'Make a custom API call',
	description: 'Call any Cybersource endpoint with the same authentication',
	fields: [
		{
			displayName: 'Method',
			name: 'method',
			type: 'options',
			options: ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'].map((m) => ({ name: m, value: m })),
			default: 'GET',
		},
		{
			displayName: 'Path',
			name: 'path',
			type: 'string',
			default: '',
			required: true,
			placeholder: '/reporting/v3/report-definitions',
			description: 'Path on the API host, starting with "/"',
		},
		{ displayName: 'Query (JSON)', name: 'query', type: 'json', default: '{}', description: 'Query parameters as a JSON object' },
		{ displayName: 'Body (JSON)', name: 'body', type: 'json', default: '{}', description: 'Request body as a JSON object (ignored for GET and DELETE)' },
	],
	async execute(this: IExecuteFunctions, i: number) {
		const method = param<IHttpRequestMethods>(this, 'method', i, 'GET');
		const qs = jsonObject(this, 'query', 'Query (JSON)', i);
		const body = method === 'GET' || method === 'DELETE' ? undefined : jsonObject(this, 'body', 'Body (JSON)', i);
		const path = param<string>(this, 'path', i, '').trim();
		const response = await cybersourceApiRequest.call(this, i, { method, path, qs, body });
		return Array.isArray(response.body) ? response.body : ({ ...response.body } as IDataObject);
	},
};

/**
 * A test node that sends one authenticated request per input item the way n8n's HTTP Request
 * node (V3 class, node versions 3-4.x) does with `authentication: predefinedCredentialType`
 * (packages/nodes-base/nodes/HttpRequest/V3/HttpRequestV3.node.ts):
 * - per item: read the credential once for the domain-restriction check, build
 *   `{ headers, method, uri, gzip, rejectUnauthorized, followRedirect, resolveWithFullResponse:
 *   true, timeout: 300_000, json: true, headers.accept }` and start the request without awaiting;
 * - all item requests run concurrently (`Promise.allSettled`), and after each one settles the
 *   credential is read again (the node sanitizes secrets out of the request it shows in the UI);
 * - failures become `{ json: { error } }` items with `continueOnFail`, else a `NodeApiError`;
 * - every output item carries `pairedItem: { item: itemIndex }`.
 *
 * The `helper` parameter selects the n8n-core helper: `requestWithAuthentication` (legacy, what the
 * HTTP Request node calls) or `httpRequestWithAuthentication` (what our own nodes use). For the
 * latter the same request is expressed as `IHttpRequestOptions` (`url`, `returnFullResponse`).
 *
 * Like the HTTP Request node it declares no credentials: n8n-core only lets a node read a credential
 * type its description does not list when the node's *type name* is in FULL_ACCESS_NODE_TYPES
 * (n8n-core constants: the HTTP Request node and its tool variants, the GraphQL node). So register
 * this class under `API_CALL_NODE_TYPE` (`n8n-nodes-base.httpRequest`) and give the node instance
 * `credentials: { [credentialType]: { id, name } }` — exactly what the editor saves for an HTTP Request
 * node. If a test also needs the real HTTP Request node in the same workflow, register this class
 * under `API_CALL_NODE_TYPE_ALT` (`n8n-nodes-base.httpRequestTool`, also full access) instead.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, removeCircularRefs } from 'n8n-workflow';

export const API_CALL_NODE_TYPE = 'n8n-nodes-base.httpRequest';
export const API_CALL_NODE_TYPE_ALT = 'n8n-nodes-base.httpRequestTool';

export type ApiCallHelper = 'httpRequestWithAuthentication' | 'requestWithAuthentication';

const FULL_RESPONSE_PROPERTIES = ['body', 'headers', 'statusCode', 'statusMessage'] as const;

interface FullResponse {
	body: unknown;
	headers: IDataObject;
	statusCode: number;
	statusMessage?: string;
}

export class ApiCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'API Call (test)',
		name: API_CALL_NODE_TYPE,
		group: ['transform'],
		version: 1,
		description: 'Sends one request per item with a predefined credential type, like HTTP Request',
		defaults: { name: 'API Call' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: '' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{
				displayName: 'Method',
				name: 'method',
				type: 'options',
				options: ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'].map((m) => ({ name: m, value: m })),
				default: 'GET',
			},
			{
				displayName: 'Helper',
				name: 'helper',
				type: 'options',
				options: [
					{ name: 'requestWithAuthentication (legacy, HTTP Request node)', value: 'requestWithAuthentication' },
					{ name: 'httpRequestWithAuthentication', value: 'httpRequestWithAuthentication' },
				],
				default: 'requestWithAuthentication',
			},
			{
				displayName: 'Body (JSON)',
				name: 'body',
				type: 'json',
				default: '',
				description: 'Sent as a JSON body when not empty',
			},
			{
				displayName: 'Full Response',
				name: 'fullResponse',
				type: 'boolean',
				default: false,
				description: 'Whether to output body, headers, statusCode and statusMessage',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const requestPromises: Array<Promise<unknown>> = [];
		const credentialTypes: string[] = [];
		const errorItems: Record<number, string> = {};

		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const credentialType = this.getNodeParameter('credentialType', itemIndex) as string;
				credentialTypes[itemIndex] = credentialType;
				const url = this.getNodeParameter('url', itemIndex) as string;
				if (!url.startsWith('http://') && !url.startsWith('https://')) {
					throw new NodeOperationError(
						this.getNode(),
						`Invalid URL: ${url}. URL must start with "http" or "https".`,
					);
				}
				const method = this.getNodeParameter('method', itemIndex) as IHttpRequestMethods;
				const helper = this.getNodeParameter('helper', itemIndex) as ApiCallHelper;
				const rawBody = this.getNodeParameter('body', itemIndex, '') as string | IDataObject;
				let body: IDataObject | undefined;
				if (typeof rawBody === 'string') {
					body = rawBody === '' ? undefined : (JSON.parse(rawBody) as IDataObject);
				} else {
					body = rawBody;
				}

				// The HTTP Request node reads the credential here for its domain-restriction check and
				// ignores any other error from it (the request below reports those).
				try {
					const credentialData = await this.getCredentials(credentialType, itemIndex);
					if (credentialData.allowedHttpRequestDomains === 'none') {
						throw new NodeOperationError(
							this.getNode(),
							'This credential is configured to prevent use within an HTTP Request node',
						);
					}
				} catch (error) {
					if ((error as Error).message?.includes('configured to prevent')) throw error;
				}

				const accept = 'application/json,text/*;q=0.99';
				let request: Promise<unknown>;
				if (helper === 'requestWithAuthentication') {
					const requestOptions: IRequestOptions = {
						headers: { accept },
						method,
						uri: url,
						gzip: true,
						rejectUnauthorized: true,
						followRedirect: true,
						followAllRedirects: true,
						resolveWithFullResponse: true,
						timeout: 300_000,
						json: true,
					};
					if (body !== undefined) requestOptions.body = body;
					request = this.helpers.requestWithAuthentication.call(
						this,
						credentialType,
						requestOptions,
						undefined,
						itemIndex,
					);
				} else {
					const requestOptions: IHttpRequestOptions = {
						headers: { accept },
						method,
						url,
						returnFullResponse: true,
						timeout: 300_000,
						json: true,
					};
					if (body !== undefined) requestOptions.body = body;
					request = this.helpers.httpRequestWithAuthentication.call(this, credentialType, requestOptions);
				}
				request.catch(() => {});
				requestPromises.push(request);
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				requestPromises.push(Promise.reject(error).catch(() => {}));
				errorItems[itemIndex] = (error as Error).message;
			}
		}

		const settled = await Promise.allSettled(
			requestPromises.map(async (promise, itemIndex) =>
				await promise.finally(async () => {
					if (errorItems[itemIndex]) return;
					// Second read per item: the HTTP Request node fetches the credential again after the
					// request to redact its secrets from the request shown in the UI.
					try {
						await this.getCredentials(credentialTypes[itemIndex], itemIndex);
					} catch {
						// The item's own error is already recorded; this read only mirrors n8n's.
					}
				}),
			),
		);

		const returnItems: INodeExecutionData[] = [];
		const fullResponse = this.getNodeParameter('fullResponse', 0, false) as boolean;
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			if (errorItems[itemIndex]) {
				returnItems.push({ json: { error: errorItems[itemIndex] }, pairedItem: { item: itemIndex } });
				continue;
			}
			const result = settled[itemIndex];
			if (result.status !== 'fulfilled') {
				if (!this.continueOnFail()) {
					if (result.reason instanceof NodeApiError) {
						result.reason.context.itemIndex = itemIndex;
						throw result.reason;
					}
					throw new NodeApiError(this.getNode(), result.reason as JsonObject, { itemIndex });
				}
				removeCircularRefs(result.reason as JsonObject);
				returnItems.push({ json: { error: result.reason as IDataObject }, pairedItem: { item: itemIndex } });
				continue;
			}
			const response = result.value as FullResponse;
			if (fullResponse) {
				const json: IDataObject = {};
				for (const property of FULL_RESPONSE_PROPERTIES) json[property] = response[property] as IDataObject;
				returnItems.push({ json, pairedItem: { item: itemIndex } });
			} else if (Array.isArray(response.body)) {
				for (const entry of response.body as IDataObject[]) {
					returnItems.push({ json: entry, pairedItem: { item: itemIndex } });
				}
			} else {
				const json =
					typeof response.body === 'object' && response.body !== null
						? (response.body as IDataObject)
						: { data: response.body as string };
				returnItems.push({ json, pairedItem: { item: itemIndex } });
			}
		}
		return [returnItems];
	}
}

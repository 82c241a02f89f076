import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeType } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/ClientCredentialsOAuth2Api.credentials';
import { JwtClientAssertionOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/JwtClientAssertionOAuth2Api.credentials';
import { TestCredentialsHelper, type StoredCredential } from '../harness/credentials-helper';
import { errorOf, outputOf, runWorkflow } from '../harness/engine';
import { API_CALL_NODE_TYPE, ApiCall, type ApiCallHelper } from '../harness/nodes/ApiCall.node';

/** The package's credential types, as n8n would load them. */
export const credentialTypes = () => [new ClientCredentialsOAuth2Api(), new JwtClientAssertionOAuth2Api()];

export function helperWith(credentials: StoredCredential[]): TestCredentialsHelper {
	return new TestCredentialsHelper(credentialTypes(), credentials);
}

export function stored(id: string, type: string, data: ICredentialDataDecryptedObject, name = `Credential ${id}`): StoredCredential {
	return { id, name, type, data };
}

/**
 * Runs `items` (each with a `url`) through an HTTP-Request-like node using the credential the
 * way n8n's HTTP Request node uses a predefined credential type.
 */
export async function callApi(options: {
	helper: TestCredentialsHelper;
	credential: StoredCredential;
	urls: string[];
	httpHelper?: ApiCallHelper;
	continueOnFail?: boolean;
	/** A node run between two identical API calls ("Call API", then "Call API 2"). */
	between?: { node: INode; type: INodeType };
	method?: 'GET' | 'POST';
	/** A JSON body, sent as the HTTP Request node sends one. */
	body?: IDataObject;
}) {
	const node = (name: string): INode => ({
		id: name,
		name,
		type: API_CALL_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			credentialType: options.credential.type,
			url: '={{ $json.url }}',
			method: options.method ?? 'GET',
			helper: options.httpHelper ?? 'httpRequestWithAuthentication',
			...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
		},
		credentials: { [options.credential.type]: { id: options.credential.id, name: options.credential.name } },
		continueOnFail: options.continueOnFail ?? false,
	});
	const nodeTypes: Record<string, INodeType> = { [API_CALL_NODE_TYPE]: new ApiCall() };
	const nodes = [node('Call API')];
	if (options.between !== undefined) {
		nodeTypes[options.between.node.type] = options.between.type;
		nodes.push(options.between.node, node('Call API 2'));
	}
	const run = await runWorkflow({
		nodeTypes,
		nodes,
		credentialsHelper: options.helper,
		items: options.urls.map((url) => ({ url }) as IDataObject),
	});
	return { run, output: (name = 'Call API') => outputOf(run, name), error: errorOf(run) };
}

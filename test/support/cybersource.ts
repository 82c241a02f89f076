import { request as httpsRequest } from 'node:https';

import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/ClientCredentialsOAuth2Api.credentials';
import { CybersourceApi } from '../../packages/n8n-nodes-cybersource/credentials/CybersourceApi.credentials';
import { CybersourceOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/CybersourceOAuth2Api.credentials';
import { CybersourceWebhookApi } from '../../packages/n8n-nodes-cybersource/credentials/CybersourceWebhookApi.credentials';
import { JwtClientAssertionOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/JwtClientAssertionOAuth2Api.credentials';
import { Cybersource } from '../../packages/n8n-nodes-cybersource/nodes/Cybersource/Cybersource.node';
import { TestCredentialsHelper, type StoredCredential } from '../harness/credentials-helper';
import { errorOf, itemsOf, outputOf, runWorkflow } from '../harness/engine';
import { replaceSharedTokenCache } from '../../packages/n8n-nodes-cybersource/lib/n8n/sharedTokenCache';
import { TokenCache } from '../../packages/n8n-nodes-cybersource/lib/oauth2';
import { startCybersourceSandbox, type Sandbox } from '../servers/cybersource/server';

export const CYBERSOURCE_NODE_TYPE = 'n8n-nodes-cybersource.cybersource';
export const CREDENTIAL_ID = 'cybs-1';
export const FUTURE_YEAR = String(new Date().getFullYear() + 3);

/** The credential fields for the sandbox: custom environment, partner client, client certificate. */
export function sandboxCredentialData(sandbox: Sandbox, data: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		apiBaseUrl: sandbox.url,
		clientId: sandbox.clientId,
		clientSecret: sandbox.clientSecret,
		refreshToken: sandbox.issueRefreshToken(),
		clientCertificate: sandbox.pki.clientCert,
		clientPrivateKey: sandbox.pki.clientKey,
		caCertificate: sandbox.pki.ca,
		redirectUrl: 'https://partner.example.test/cybersource/callback',
		...data,
	};
}

export function cybersourceCredential(sandbox: Sandbox, data: ICredentialDataDecryptedObject = {}, id = CREDENTIAL_ID): StoredCredential {
	return { id, name: `Cybersource ${id}`, type: 'cybersourceOAuth2Api', data: sandboxCredentialData(sandbox, data) };
}

export function credentialsHelper(credentials: StoredCredential[]): TestCredentialsHelper {
	return new TestCredentialsHelper(
		[new CybersourceOAuth2Api(), new CybersourceApi(), new ClientCredentialsOAuth2Api(), new JwtClientAssertionOAuth2Api(), new CybersourceWebhookApi()],
		credentials,
	);
}

/** A "Cybersource API" (merchant key) credential for the sandbox's REST host, of the given type. */
export function merchantCredential(
	sandbox: Sandbox,
	authenticationType: 'httpSignature' | 'jwtRs256' | 'jwtHs256' = 'httpSignature',
	data: ICredentialDataDecryptedObject = {},
	id = `merchant-${authenticationType}`,
): StoredCredential {
	return {
		id,
		name: `Merchant key ${id}`,
		type: 'cybersourceApi',
		data: {
			environment: 'custom',
			baseUrl: sandbox.restUrl,
			merchantId: sandbox.merchantKey.merchantId,
			authenticationType,
			keyId: sandbox.merchantKey.keyId,
			sharedSecretKey: sandbox.merchantKey.secret,
			certificate: sandbox.pki.merchantCert,
			privateKey: sandbox.pki.merchantKey,
			...data,
		},
	};
}

/** A Cybersource node in a workflow, with the credential the `authentication` parameter selects. */
export function cybersourceNode(name: string, parameters: INodeParameters, credential: StoredCredential, extra: Partial<INode> = {}): INode {
	return {
		id: name,
		name,
		type: CYBERSOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { authentication: credential.type, ...parameters },
		credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		...extra,
	};
}

export const authorizeParameters = (overrides: INodeParameters = {}): INodeParameters => ({
	resource: 'payment',
	operation: 'authorize',
	amount: '={{ $json.amount ?? "10.00" }}',
	currency: 'USD',
	cardNumber: '={{ $json.card ?? "4111111111111111" }}',
	expirationMonth: '12',
	expirationYear: FUTURE_YEAR,
	securityCode: '123',
	clientReferenceCode: '={{ $json.reference ?? "" }}',
	...overrides,
});

/** Runs Cybersource nodes in a chain through n8n's engine. */
export async function runCybersource(
	helper: TestCredentialsHelper,
	nodes: INode[],
	items: IDataObject[] = [{}],
	/** The same IDs twice: n8n running one execution again (a queue-mode job re-run). */
	ids: { executionId?: string; workflowId?: string } = {},
) {
	const run = await runWorkflow({ nodeTypes: { [CYBERSOURCE_NODE_TYPE]: new Cybersource() }, nodes, credentialsHelper: helper, items, ...ids });
	return { run, output: (name: string) => outputOf(run, name), items: (name: string) => itemsOf(run, name), error: errorOf(run) };
}

/**
 * What another n8n process does with the same credential: a refresh at the sandbox's token
 * endpoint (mutual TLS). Resolves with the new refresh token, or undefined when it was refused.
 */
export function refreshAtSandbox(sandbox: Sandbox, refreshToken: string): Promise<string | undefined> {
	const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: sandbox.clientId, client_secret: sandbox.clientSecret }).toString();
	return new Promise((resolve, reject) => {
		const outgoing = httpsRequest(sandbox.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, ...sandbox.clientTls }, (response) => {
			let text = '';
			response.on('data', (chunk: Buffer) => (text += chunk.toString()));
			response.on('end', () => resolve((JSON.parse(text) as { refresh_token?: string }).refresh_token));
		});
		outgoing.on('error', reject);
		outgoing.end(body);
	});
}

/**
 * One sandbox for a test file: started before its tests and closed after them; before each test
 * it is reset and the shared token cache emptied. `use` receives it once started.
 */
export function useSandbox(use: (sandbox: Sandbox) => void): void {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startCybersourceSandbox();
		use(sandbox);
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	beforeEach(() => {
		sandbox?.reset();
		replaceSharedTokenCache(new TokenCache());
	});
}

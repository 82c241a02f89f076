import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { ClientCredentialsOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/ClientCredentialsOAuth2Api.credentials';
import { CybersourceApi } from '../../packages/n8n-nodes-cybersource/credentials/CybersourceApi.credentials';
import { CybersourceOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/CybersourceOAuth2Api.credentials';
import { CybersourceWebhookApi } from '../../packages/n8n-nodes-cybersource/credentials/CybersourceWebhookApi.credentials';
import { JwtClientAssertionOAuth2Api } from '../../packages/n8n-nodes-cybersource/credentials/JwtClientAssertionOAuth2Api.credentials';
import { TestCredentialsHelper, type StoredCredential } from '../../test/harness/credentials-helper';
import { startCybersourceSandbox, type Sandbox, type SandboxOptions } from '../../test/servers/cybersource/server';
import type { OidcServerHandle } from '../../test/servers/oidc';
import { startStandardOidcServer } from '../../test/servers/oidc/standard-clients';
import { merchantCredential } from '../../test/support/cybersource';

/**
 * The embedded local default the demo and the benchmark run against: the Cybersource sandbox
 * (HTTPS with client certificates) and oidc-provider, both on 127.0.0.1 and ephemeral ports.
 */
export interface LocalServers {
	sandbox: Sandbox;
	oidc: OidcServerHandle;
	oidcClient: { clientId: string; clientSecret: string };
	stop(): Promise<void>;
}

export async function startLocalServers(sandboxOptions: SandboxOptions = {}): Promise<LocalServers> {
	const [sandbox, { server: oidc, clients }] = await Promise.all([startCybersourceSandbox(sandboxOptions), startStandardOidcServer()]);
	return {
		sandbox,
		oidc,
		oidcClient: { clientId: clients.post.clientId, clientSecret: clients.post.clientSecret },
		stop: async () => {
			await Promise.all([sandbox.close(), oidc.stop()]);
		},
	};
}

export function cybersourceCredentialData(sandbox: Sandbox, refreshToken = sandbox.issueRefreshToken()): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		apiBaseUrl: sandbox.url,
		clientId: sandbox.clientId,
		clientSecret: sandbox.clientSecret,
		refreshToken,
		clientCertificate: sandbox.pki.clientCert,
		clientPrivateKey: sandbox.pki.clientKey,
		caCertificate: sandbox.pki.ca,
		redirectUrl: 'https://partner.example.com/cybersource/callback',
		sendCorrelationId: true,
	};
}

/** A credentials store like n8n's, holding the credentials the example files refer to by id. */
export function credentialsFor(servers: LocalServers, extra: StoredCredential[] = []): TestCredentialsHelper {
	const { sandbox, oidc, oidcClient } = servers;
	const signatureKey = sandbox.createSignatureKey();
	return new TestCredentialsHelper(
		[new CybersourceOAuth2Api(), new CybersourceApi(), new CybersourceWebhookApi(), new ClientCredentialsOAuth2Api(), new JwtClientAssertionOAuth2Api()],
		[
			{ ...merchantCredential(sandbox, 'httpSignature', {}, 'cybersource-merchant-key'), name: 'Cybersource (merchant key)' },
			{ id: 'cybersource-webhook-keys', name: 'Cybersource webhook keys', type: 'cybersourceWebhookApi', data: { signatureKeyId: signatureKey.keyId, signatureSecret: signatureKey.key } },
			{ id: 'cybersource-sandbox', name: 'Cybersource (merchant)', type: 'cybersourceOAuth2Api', data: cybersourceCredentialData(sandbox) },
			{ id: 'cybersource-partner', name: 'Cybersource (partner app)', type: 'cybersourceOAuth2Api', data: cybersourceCredentialData(sandbox, '') },
			{
				id: 'oauth2-client',
				name: 'My API (client credentials)',
				type: 'oAuth2ClientCredentialsApi',
				data: { tokenUrl: oidc.tokenUrl, clientId: oidcClient.clientId, clientSecret: oidcClient.clientSecret, scope: 'read' },
			},
			...extra,
		],
	);
}

import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * What the Cybersource Trigger needs to accept notifications: the organization's digital
 * signature key (every notification's `v-c-signature` is checked with it) and, for the
 * OAuth-protected mode, the OAuth client Cybersource uses to fetch a token from the trigger.
 * Kept in a credential (encrypted by n8n), never in workflow static data.
 */
export class CybersourceWebhookApi implements ICredentialType {
	name = 'cybersourceWebhookApi';

	displayName = 'Cybersource Webhook Keys API';

	icon: Icon = { light: 'file:icons/cybersource.svg', dark: 'file:icons/cybersource.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cybersource/n8n-nodes-cybersource/tree/main/packages/n8n-nodes-cybersource#cybersource-webhook-keys-api';

	properties: INodeProperties[] = [
		{
			displayName:
				'Create the digital signature key once with the Cybersource node (Webhook Key > Create Shared Secret Key) and copy its keyId and key here. Creating a new key replaces the organization\'s previous one. Saving checks the fields\' form only: Cybersource has no endpoint that confirms these keys, so "Connection tested successfully" means well-formed, and the first signed notification proves them.',
			name: 'keyNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Digital Signature Key ID',
			name: 'signatureKeyId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'd8512fb5-1d8c-4f2d-e053-3cb8d30a764c',
			description: 'The keyId of the digital signature key (keyInformation.keyId in the answer of Create Shared Secret Key)',
		},
		{
			displayName: 'Digital Signature Key',
			name: 'signatureSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The base64 key itself (keyInformation.key in the answer of Create Shared Secret Key)',
		},
		{
			displayName: 'OAuth Client ID',
			name: 'oAuthClientId',
			type: 'string',
			default: '',
			description:
				'Only for the trigger\'s OAuth-protected mode: the client ID Cybersource uses at the trigger\'s token endpoint. Choose any value; the trigger stores it with Cybersource on activation.',
		},
		{
			displayName: 'OAuth Client Secret',
			name: 'oAuthClientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for the OAuth-protected mode: a long random secret (at least 32 characters), e.g. from openssl rand -base64 32',
		},
	];
}

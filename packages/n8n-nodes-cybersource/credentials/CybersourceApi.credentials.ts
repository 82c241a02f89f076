import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { merchantAuthenticate } from '../lib/n8n/merchantAuth';

/**
 * Cybersource's merchant-key authentication, what most merchants use (and Cybersource's SDKs by
 * default): a REST key from the Business Center, and every request signed with it, by HTTP
 * Signature (shared secret) or a JWT (the .p12 certificate's key, or the shared secret).
 * Works in the Cybersource node and, as a predefined credential, in n8n's HTTP Request node.
 */
export class CybersourceApi implements ICredentialType {
	name = 'cybersourceApi';

	displayName = 'Cybersource API';

	icon: Icon = { light: 'file:icons/cybersource.svg', dark: 'file:icons/cybersource.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cybersource/n8n-nodes-cybersource/tree/main/packages/n8n-nodes-cybersource#cybersource-api-merchant-key';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Test', value: 'test', description: 'apitest.cybersource.com' },
				{ name: 'Production', value: 'production', description: 'api.cybersource.com' },
				{ name: 'Production (India)', value: 'india', description: 'api.in.cybersource.com' },
				{ name: 'Custom', value: 'custom', description: 'Another base URL, e.g. a local sandbox' },
			],
			default: 'test',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://apitest.cybersource.com',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Merchant ID',
			name: 'merchantId',
			type: 'string',
			default: '',
			required: true,
			description: 'The merchant ID the REST key was created for',
		},
		{
			// No default among the options: n8n stores no field left at its default, so credentials
			// saved before this field offered JWT first have none, and must keep HTTP Signature ('' below
			// means that). A new credential gets its scheme chosen, JWT HS256 first.
			displayName: 'Authentication Type',
			name: 'authenticationType',
			type: 'options',
			options: [
				{ name: 'JWT With the Shared Secret (HS256, Recommended)', value: 'jwtHs256', description: 'A JSON Web Token per request, signed with a REST shared secret key; carries message-level encryption' },
				{ name: 'JWT With the P12 Certificate Key (RS256)', value: 'jwtRs256', description: 'A JSON Web Token per request, signed with the key of the .p12 file' },
				{ name: 'HTTP Signature (Shared Secret, Retiring)', value: 'httpSignature', description: 'Being retired by Cybersource (by March 2027) and cannot carry message-level encryption; JWT HS256 uses the same key' },
			],
			default: '',
			required: true,
			description: "How requests are signed. Cybersource asks merchants to move from HTTP Signature to JWT by March 2027.",
		},
		{
			displayName: 'Key ID',
			name: 'keyId',
			type: 'string',
			default: '',
			required: true,
			description: 'The ID (a UUID) of the REST shared secret key, from Payment Configuration > Key Management in the Business Center',
			displayOptions: { show: { authenticationType: ['', 'httpSignature', 'jwtHs256'] } },
		},
		{
			displayName: 'Shared Secret Key',
			name: 'sharedSecretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The base64 shared secret of that key, shown once when it was created',
			displayOptions: { show: { authenticationType: ['', 'httpSignature', 'jwtHs256'] } },
		},
		{
			displayName: 'Certificate',
			name: 'certificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'PEM certificate from the .p12 file (openssl pkcs12 -in key.p12 -clcerts -nokeys; see the README)',
			displayOptions: { show: { authenticationType: ['jwtRs256'] } },
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'PEM private key from the .p12 file (openssl pkcs12 -in key.p12 -nocerts -nodes; see the README)',
			displayOptions: { show: { authenticationType: ['jwtRs256'] } },
		},
		{
			displayName: 'Private Key Passphrase',
			name: 'privateKeyPassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for an encrypted private key',
			displayOptions: { show: { authenticationType: ['jwtRs256'] } },
		},
		{
			displayName: 'Encrypt Requests (MLE)',
			name: 'requestEncryption',
			type: 'options',
			options: [
				{ name: 'Where Cybersource Requires It', value: 'whereRequired', description: 'Only the requests Cybersource refuses unencrypted (e.g. POST /tms/v2/tokenize)' },
				{ name: 'Wherever Cybersource Accepts It', value: 'whereAccepted', description: 'Also payments, captures, refunds, Token Management, invoices, ...' },
				{ name: 'Never', value: 'never', description: 'A request Cybersource requires encrypted is refused before it is sent' },
			],
			default: 'whereRequired',
			description: "Message-level encryption of request bodies to Cybersource's MLE certificate. Needs a JWT authentication type.",
		},
		{
			displayName: 'MLE Certificate',
			name: 'mleCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: "Cybersource's MLE certificate (CyberSource_SJC_US), taken from the .p12 file with openssl (see the README). Needed to encrypt requests.",
			displayOptions: { hide: { requestEncryption: ['never'] } },
		},
		{
			displayName: 'Encrypted Answers (Response MLE)',
			name: 'responseEncryption',
			type: 'boolean',
			default: false,
			description: "Whether Cybersource encrypts its answers to your REST – API Response MLE key; they are decrypted before anything reads them. Needs a JWT authentication type.",
		},
		{
			displayName: 'Response MLE Key ID',
			name: 'responseMleKeyId',
			type: 'string',
			default: '',
			required: true,
			description: 'The key ID of the REST – API Response MLE key (Business Center: Payment Configuration > Key Management)',
			displayOptions: { show: { responseEncryption: [true] } },
		},
		{
			displayName: 'Response MLE Private Key',
			name: 'responseMlePrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'PEM private key of the REST – API Response MLE key (openssl pkcs12 -in response-mle.p12 -nocerts -nodes; see the README)',
			displayOptions: { show: { responseEncryption: [true] } },
		},
	];

	authenticate = merchantAuthenticate;

	// One signed request that any merchant key may make; a wrong key or secret answers 401.
	test: ICredentialTestRequest = {
		request: { method: 'GET', url: '=/notification-subscriptions/v2/products/{{$credentials.merchantId}}' },
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'Cybersource refused the signature: check the Merchant ID, the Key ID and Shared Secret Key (or the Certificate and Private Key), and the Environment.',
				},
			},
		],
	};
}

import { randomBytes, randomUUID } from 'node:crypto';

import { FieldCheck, invalidFields, isRecord, submitTimeUtc, type ApiResult } from './http';

/**
 * `POST /kms/egress/v2/keys-sym`: webhook security keys (DESIGN §4).
 *  - STORE (seed 000): the partner's OAuth client credentials, so Cybersource can fetch a token
 *    before delivering a notification. Exactly the documented body: `provider`, `tenant: "nrtd"`,
 *    `keyType: "oAuthClientCredentials"`, `organizationId`, `clientKeyId`, `key`,
 *    `expiryDuration: "365"`. The seed's sample answer echoes a `key`; the sandbox never sends a
 *    stored client secret back (tests read it with `storedKeys()`).
 *  - CREATE (Cybersource "Create a Digital Signature Key"): `provider: "nrtd"`, `tenant` =
 *    `organizationId`, `keyType: "sharedSecret"`, optional `expiryDuration` (days). The answer
 *    carries the new base64 signing `key`: that secret is the point of the call.
 * `organizationId` must be the merchant the access token was issued for. Anything else -> 400.
 */

export interface StoredKey {
	keyId: string;
	keyType: 'oAuthClientCredentials' | 'sharedSecret';
	organizationId: string;
	provider: string;
	tenant: string;
	/** oAuthClientCredentials: the client's username. */
	clientKeyId?: string;
	/** The secret: the stored client secret, or the generated base64 signing key. */
	key: string;
	status: 'active';
	createdAt: number;
	expirationDate: string;
}

const KEY_INFORMATION_FIELDS = {
	STORE: ['provider', 'tenant', 'keyType', 'organizationId', 'clientKeyId', 'key', 'expiryDuration'],
	CREATE: ['provider', 'tenant', 'keyType', 'organizationId', 'expiryDuration'],
} as const;
const EXPIRY_DAYS_PATTERN = /^[1-9]\d{0,3}$/;
const DAY_MS = 86_400_000;

export class KeyService {
	/** organizationId -> keys, newest last. */
	private readonly keys = new Map<string, StoredKey[]>();

	constructor(private readonly now: () => number) {}

	reset(): void {
		this.keys.clear();
	}

	/** Keys stored for an organization (secrets included: for assertions only). */
	storedKeys(organizationId: string): StoredKey[] {
		return (this.keys.get(organizationId) ?? []).map((key) => ({ ...key }));
	}

	/** The organization's current digital signature key (a new CREATE overrides the old one). */
	signatureKey(organizationId: string): StoredKey | undefined {
		return (this.keys.get(organizationId) ?? []).filter((key) => key.keyType === 'sharedSecret').pop();
	}

	hasOAuthCredentials(organizationId: string): boolean {
		return (this.keys.get(organizationId) ?? []).some((key) => key.keyType === 'oAuthClientCredentials');
	}

	handle(merchantId: string, body: unknown): ApiResult {
		const check = new FieldCheck(body);
		check.onlyKeys('', ['clientRequestAction', 'keyInformation']);
		const action = check.requiredString('clientRequestAction', /^(STORE|CREATE)$/);
		const now = this.now();
		if (!isRecord(check.value('keyInformation'))) {
			if (check.value('keyInformation') === undefined) check.missing('keyInformation');
			else check.invalid('keyInformation');
		}
		if (!check.ok || !action) return invalidFields(check.problems, now);

		const info = 'keyInformation';
		check.onlyKeys(info, KEY_INFORMATION_FIELDS[action as 'STORE' | 'CREATE']);
		const organizationId = check.requiredString(`${info}.organizationId`);
		if (organizationId !== undefined && organizationId !== merchantId) check.invalid(`${info}.organizationId`);
		let key: StoredKey | undefined;
		if (action === 'STORE') {
			const provider = check.requiredString(`${info}.provider`);
			const tenant = check.requiredString(`${info}.tenant`, /^nrtd$/);
			check.requiredString(`${info}.keyType`, /^oAuthClientCredentials$/);
			const clientKeyId = check.requiredString(`${info}.clientKeyId`);
			const secret = check.requiredString(`${info}.key`);
			check.requiredString(`${info}.expiryDuration`, /^365$/); // seed 000: "Set to 365"
			if (check.ok && provider && tenant && clientKeyId && secret && organizationId) {
				key = this.add({ keyType: 'oAuthClientCredentials', organizationId, provider, tenant, clientKeyId, key: secret }, 365, now);
			}
		} else {
			const provider = check.requiredString(`${info}.provider`, /^nrtd$/i);
			const tenant = check.requiredString(`${info}.tenant`);
			if (tenant !== undefined && organizationId !== undefined && tenant !== organizationId) check.invalid(`${info}.tenant`);
			check.requiredString(`${info}.keyType`, /^sharedSecret$/);
			const days = check.optionalString(`${info}.expiryDuration`, EXPIRY_DAYS_PATTERN) ?? '365';
			if (check.ok && provider && tenant && organizationId) {
				key = this.add({ keyType: 'sharedSecret', organizationId, provider, tenant, key: randomBytes(32).toString('base64') }, Number(days), now);
			}
		}
		if (!key) return invalidFields(check.problems, now);

		const keyInformation: Record<string, unknown> = {
			provider: key.provider,
			tenant: key.tenant,
			organizationId: key.organizationId,
			...(key.clientKeyId === undefined ? {} : { clientKeyId: key.clientKeyId }),
			keyId: key.keyId,
			// Only a generated signing key goes back; a stored client secret never does.
			...(key.keyType === 'sharedSecret' ? { key: key.key } : {}),
			keyType: key.keyType,
			status: key.status,
			expirationDate: key.expirationDate,
		};
		return { status: 201, body: { submitTimeUtc: submitTimeUtc(now), status: 'SUCCESS', keyInformation } };
	}

	private add(fields: Omit<StoredKey, 'keyId' | 'status' | 'createdAt' | 'expirationDate'>, days: number, now: number): StoredKey {
		const key: StoredKey = { ...fields, keyId: randomUUID(), status: 'active', createdAt: now, expirationDate: submitTimeUtc(now + days * DAY_MS) };
		let list = this.keys.get(key.organizationId);
		if (!list) this.keys.set(key.organizationId, (list = []));
		list.push(key);
		return key;
	}
}

import { fieldError, formEncode } from './errors';

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3) as small strategy values, one per
 * method, so that request building never threads a flag through.
 */
export interface TokenRequestDraft {
	tokenUrl: string;
	headers: Record<string, string>;
	/** Ordered body parameters; a key may repeat. */
	body: Array<[string, string]>;
}

export interface ClientAuthentication {
	/** The RFC 7591 name of the method, e.g. `client_secret_basic`. */
	readonly method: string;
	readonly clientId: string;
	/** Adds the client's proof to a token request. Called once per attempt. */
	apply(draft: TokenRequestDraft): void | Promise<void>;
	/** Values that must never appear in a message. */
	readonly secrets: readonly string[];
}

function requireText(field: string, value: string | undefined): string {
	if (typeof value !== 'string' || value.trim() === '') {
		throw fieldError(field, 'is empty. Enter the value your authorization server issued.');
	}
	return value;
}

/**
 * The Basic credentials of RFC 6749 §2.3.1: client id and secret are each
 * application/x-www-form-urlencoded first (Appendix B), then joined with ":" and base64-encoded.
 * Skipping the form-encoding breaks secrets containing ":", "+", "%", "/", "=" or spaces.
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
	const pair = `${formEncode(clientId)}:${formEncode(clientSecret)}`;
	return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

/** `client_secret_basic`: the client id and secret in an Authorization header. */
export function clientSecretBasic(clientId: string, clientSecret: string): ClientAuthentication {
	const id = requireText('Client ID', clientId);
	const secret = requireText('Client Secret', clientSecret);
	const header = basicAuthorization(id, secret);
	return {
		method: 'client_secret_basic',
		clientId: id,
		// The header's base64 carries the secret too: redact it wherever a server echoes it.
		secrets: [secret, header.slice('Basic '.length)],
		apply(draft) {
			draft.headers.Authorization = header;
		},
	};
}

/** `client_secret_post`: the client id and secret as body parameters. */
export function clientSecretPost(clientId: string, clientSecret: string): ClientAuthentication {
	const id = requireText('Client ID', clientId);
	const secret = requireText('Client Secret', clientSecret);
	return {
		method: 'client_secret_post',
		clientId: id,
		secrets: [secret],
		apply(draft) {
			draft.body.push(['client_id', id], ['client_secret', secret]);
		},
	};
}

/** `tls_client_auth` and public clients: only the client id, in the body (RFC 8705 §2). */
export function clientIdOnly(clientId: string): ClientAuthentication {
	const id = requireText('Client ID', clientId);
	return {
		method: 'none',
		clientId: id,
		secrets: [],
		apply(draft) {
			draft.body.push(['client_id', id]);
		},
	};
}

/**
 * The magic values of the Cybersource sandbox: registered partner and merchant defaults, test
 * cards and amounts that steer a payment to each outcome. Import them from tests and demos instead
 * of repeating literals.
 */

/** Default partner application (seed 001 "Registering Your Application": client ID + secret). */
export const DEFAULT_CLIENT_ID = 'n8nPartner';
/** Contains `+`, `/` and `=`: a client that does not form-encode its body sends a wrong secret (DESIGN §2). */
export const DEFAULT_CLIENT_SECRET = 'sbx+Secret/4n8n=';
/** Default merchant that delegates access to the partner. */
export const DEFAULT_MERCHANT_ID = 'n8n_sandbox_merchant';
/** That merchant's REST shared secret key (HTTP Signature and JWT HS256): a key ID and a base64 secret. */
export const DEFAULT_MERCHANT_KEY_ID = '5f0c8a3e-2b7d-4c19-9e6a-3d1f7b2c8e40';
export const DEFAULT_MERCHANT_SECRET = 'q3Ka1bXc8zR0Yw9N+u2V/7mTn4pLs6dEfGhJiKoQr5U=';
/** The serialNumber in the subject of the merchant's P12 certificate (the JWT RS256 `kid`). */
export const DEFAULT_MERCHANT_CERT_SERIAL = '5843245723520167607207';
/** Subject serialNumber of the sandbox's MLE certificate (Cybersource's `CyberSource_SJC_US`): the request JWE `kid`. */
export const MLE_CERT_SERIAL = 'SJC3489752391876543210';
/** Key ID of the merchant's REST - API Response MLE key (the JWT claim `v-c-response-mle-kid`). */
export const RESPONSE_MLE_KEY_ID = '7430982375612398417654';
/** Scope granted with every token (the seed 001 sample answers `"scope": "transactions"`). */
export const DEFAULT_SCOPE = 'payments_with_standalone_credit transactions keys';

/** Cybersource's answers: access token 15 min (`expires_in` 899), refresh token a year (seed 001). */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 899;
export const REFRESH_TOKEN_TTL_SECONDS = 31535999;
/** An authorization code expires in ten minutes (seed 002, "Interpreting the Redirect Response"). */
export const AUTHORIZATION_CODE_TTL_SECONDS = 600;

/** Luhn-valid card numbers. Expiry must be in the future, or the card declines with EXPIRED_CARD. */
export const TEST_CARDS = {
	visa: '4111111111111111',
	mastercard: '5555555555554444',
	amex: '378282246310005',
	discover: '6011111111111117',
	/** 201 `DECLINED`, errorInformation.reason `PROCESSOR_DECLINED`, processor response code 05. */
	declined: '4000000000000002',
	/** 201 `DECLINED`, errorInformation.reason `INSUFFICIENT_FUND`, processor response code 51. */
	insufficientFunds: '4000000000009995',
} as const;

/** Amounts (exact `totalAmount` strings) that steer an authorization, whatever the card. */
export const TEST_AMOUNTS = {
	/** 201 `AUTHORIZED_PENDING_REVIEW` (Decision Manager review); cannot be captured. */
	pendingReview: '9999.99',
	/** 201 `PARTIAL_AUTHORIZED` for half the amount (`partialAuthorizedAmount`). */
	partialAuthorization: '1500.00',
	partialAuthorizedAmount: '750.00',
	/** 502 `{status: "SERVER_ERROR", reason: "SYSTEM_ERROR"}`; nothing is stored (DESIGN §4). */
	serverError: '5020.00',
} as const;

/** Card type codes Cybersource uses in `paymentInformation.card.type`. */
export const CARD_TYPES = { visa: '001', mastercard: '002', amex: '003', discover: '004', diners: '005', jcb: '007' } as const;

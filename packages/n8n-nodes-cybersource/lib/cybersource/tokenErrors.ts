/**
 * Cybersource answers every token failure with HTTP 500 and one of these codes
 * (../shared/seeds/001, "Error Responses for Token Request"). Each says what to do.
 */
export const CYBERSOURCE_TOKEN_ERROR_HINTS: Record<string, string> = {
	access_denied:
		'The merchant denied access, or revoked it in the Business Center. Send the merchant through the authorization URL again (OAuth > Get Authorization URL) and store the new refresh token.',
	server_error: 'Cybersource failed to process the token request. Try again in a few minutes; if it persists, contact Cybersource support.',
	invalid_scope: 'The scope is not one your application registered. Check the permissions of the application in the Business Center (Authorized Applications).',
	invalid_client: 'Cybersource does not accept the Client ID or Client Secret. Copy both again from the Business Center; regenerate the secret if it was lost.',
	invalid_request:
		'Cybersource found the request malformed: the refresh token or authorization code may be missing, expired or already used. Cybersource replaces the refresh token on every refresh: if another n8n process, or a copy of this credential, refreshed with it, use the refresh token that one stored; otherwise re-authorize the merchant.',
	unauthorized_client: 'Your application is not allowed to request this kind of token. Check its registration in the Business Center.',
	invalid_redirect_uri: 'The Redirect URL differs from the one registered for the application. It must match exactly, character for character.',
	client_not_found: 'Cybersource knows no application with this Client ID in this environment. Check the Client ID and the Environment (test and production are separate).',
	invalid_client_type: 'The application is registered with an unsupported client type; Cybersource only supports confidential clients. Register it again as a confidential client.',
	merchant_not_active: "The merchant's Cybersource account is inactive. The merchant must reactivate it before tokens can be issued.",
	client_not_active: 'Your Cybersource partner account is not active. Contact Cybersource customer support.',
};

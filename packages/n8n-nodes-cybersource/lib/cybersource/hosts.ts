import { fieldError } from '../oauth2/errors';
import { validateTokenUrl } from '../oauth2/tokenRequest';

/**
 * Cybersource hosts (../shared/DESIGN.md §4). The OAuth partner flow uses the mutual-TLS hosts
 * for both the token endpoint and the API calls made with its tokens; merchants authorize in
 * the Business Center.
 */
export type CybersourceEnvironment = 'test' | 'production' | 'custom';

export interface CybersourceEndpoints {
	apiBaseUrl: string;
	authorizationBaseUrl: string;
	tokenUrl: string;
}

export const ENVIRONMENTS: Record<Exclude<CybersourceEnvironment, 'custom'>, Omit<CybersourceEndpoints, 'tokenUrl'>> = {
	test: { apiBaseUrl: 'https://api-matest.cybersource.com', authorizationBaseUrl: 'https://businesscentertest.cybersource.com' },
	production: { apiBaseUrl: 'https://api-ma.cybersource.com', authorizationBaseUrl: 'https://businesscenter.cybersource.com' },
};

/** Paths on the API host (token endpoint) and on the Business Center (merchant consent page). */
export const PATHS = { grant: '/oauth2/v3/token', consentPage: '/ebc2/oauth/authorize' } as const;

function baseUrl(value: string, field: string): string {
	const url = validateTokenUrl(value, field);
	if (url.search !== '') throw fieldError(field, 'must not contain a query (?...); enter only the scheme, host and optional path.');
	return url.toString().replace(/\/+$/, '');
}

export function endpointsFor(
	environment: string,
	custom: { apiBaseUrl?: string; authorizationBaseUrl?: string } = {},
): CybersourceEndpoints {
	if (environment === 'test' || environment === 'production') {
		const hosts = ENVIRONMENTS[environment];
		return { ...hosts, tokenUrl: `${hosts.apiBaseUrl}${PATHS.grant}` };
	}
	if (environment !== 'custom') {
		throw fieldError('Environment', `must be test, production or custom, not "${environment}".`);
	}
	const apiBaseUrl = baseUrl(custom.apiBaseUrl ?? '', 'API Base URL');
	const authorizationBaseUrl = custom.authorizationBaseUrl?.trim()
		? baseUrl(custom.authorizationBaseUrl, 'Authorization Base URL')
		: apiBaseUrl;
	return { apiBaseUrl, authorizationBaseUrl, tokenUrl: `${apiBaseUrl}${PATHS.grant}` };
}

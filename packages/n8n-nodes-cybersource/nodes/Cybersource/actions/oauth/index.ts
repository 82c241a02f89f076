import { exchangeAuthorizationCode } from './exchangeAuthorizationCode';
import { getAuthorizationUrl } from './getAuthorizationUrl';
import { refreshAccessToken } from './refreshAccessToken';

export const oauth = { getAuthorizationUrl, exchangeAuthorizationCode, refreshAccessToken };

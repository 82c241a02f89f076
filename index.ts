export { ClientCredentialsOAuth2Api } from './credentials/ClientCredentialsOAuth2Api.credentials';
export { JwtClientAssertionOAuth2Api } from './credentials/JwtClientAssertionOAuth2Api.credentials';

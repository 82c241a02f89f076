export { ClientCredentialsOAuth2Api } from './credentials/ClientCredentialsOAuth2Api.credentials';

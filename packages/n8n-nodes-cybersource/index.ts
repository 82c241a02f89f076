export { ClientCredentialsOAuth2Api } from './credentials/ClientCredentialsOAuth2Api.credentials';
export { CybersourceApi } from './credentials/CybersourceApi.credentials';
export { CybersourceOAuth2Api } from './credentials/CybersourceOAuth2Api.credentials';
export { CybersourceWebhookApi } from './credentials/CybersourceWebhookApi.credentials';
export { JwtClientAssertionOAuth2Api } from './credentials/JwtClientAssertionOAuth2Api.credentials';
export { Cybersource } from './nodes/Cybersource/Cybersource.node';
export { CybersourceTrigger } from './nodes/CybersourceTrigger/CybersourceTrigger.node';

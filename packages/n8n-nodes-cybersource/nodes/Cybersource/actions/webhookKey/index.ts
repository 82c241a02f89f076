import { createSharedSecretKey } from './createSharedSecretKey';
import { storeOAuthCredentials } from './storeOAuthCredentials';

export const webhookKey = { storeOAuthCredentials, createSharedSecretKey };

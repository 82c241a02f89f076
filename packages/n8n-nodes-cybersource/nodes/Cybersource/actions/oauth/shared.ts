import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import { CYBERSOURCE_TYPE } from '../../../../lib/n8n/cybersourceSource';
import { asNodeError, invalidInput } from '../../errors';
import { authenticationOf } from '../../transport';

/** The OAuth operations belong to the partner flow: they need the Cybersource credential. */
export async function cybersourceCredentials(context: IExecuteFunctions, itemIndex: number): Promise<ICredentialDataDecryptedObject> {
	if (authenticationOf(context) !== CYBERSOURCE_TYPE) {
		throw invalidInput(context.getNode(), 'Authentication: the OAuth operations need the "Cybersource OAuth2 API" credential (they manage a partner\'s tokens; a merchant key or a generic OAuth2 credential has none).', itemIndex);
	}
	return await context.getCredentials(CYBERSOURCE_TYPE, itemIndex);
}

/** Runs a step of the flow, turning its errors into the node's errors. */
export async function flowStep<T>(context: IExecuteFunctions, itemIndex: number, step: () => Promise<T>): Promise<T> {
	try {
		return await step();
	} catch (error) {
		throw asNodeError(context.getNode(), error, itemIndex);
	}
}

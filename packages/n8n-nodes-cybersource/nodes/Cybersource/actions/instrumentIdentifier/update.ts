import * as input from '../../../../lib/cybersource/paymentInput';
import { param } from '../fields';
import { at, updateToken } from '../tokenManagement';

/**
 * PATCH /tms/v1/instrumentidentifiers/{id} with If-Match: the previous transaction ID that
 * merchant-initiated payments with this card refer to (the card number never changes).
 */
export const update = updateToken(
	at.identifier,
	'Update an instrument identifier',
	"Set the previous transaction ID of the card's merchant-initiated payments",
	[
		{
			displayName: 'Previous Transaction ID',
			name: 'previousTransactionId',
			type: 'string',
			default: '',
			required: true,
			description: "The network transaction ID of the customer's first payment with this card (processorInformation.networkTransactionId of its answer)",
		},
	],
	(context, i) => ({
		processingInformation: {
			authorizationOptions: { initiator: { merchantInitiatedTransaction: { previousTransactionId: input.pathId(param(context, 'previousTransactionId', i), 'Previous Transaction ID') } } },
		},
	}),
);

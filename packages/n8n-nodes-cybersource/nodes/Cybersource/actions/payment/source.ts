import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { param } from '../fields';
import { customerId, instrumentIdentifierId, paymentInstrumentId } from '../tokenManagement';
import { cardFields, cardOf } from './card';

/**
 * Where the money comes from (Authorize) or goes to (Credit): a card number, or what Token
 * Management stores (research §1.1), or a transient token from Cybersource's checkout forms.
 * Saved workflows have no Payment Source: the default, Card Number, is what they did.
 */
export type PaymentSource = 'card' | 'customer' | 'paymentInstrument' | 'instrumentIdentifier' | 'transientToken';

const SOURCE_OPTIONS: Record<PaymentSource, { name: string; description: string }> = {
	card: { name: 'Card Number', description: 'A card number mapped from the input' },
	customer: { name: 'Customer', description: "A stored customer's default card, or another of its cards" },
	instrumentIdentifier: { name: 'Instrument Identifier', description: "The token of a card number, with the card's expiry" },
	paymentInstrument: { name: 'Payment Instrument', description: 'A stored card' },
	transientToken: { name: 'Transient Token', description: 'What Microform or Unified Checkout returned to your checkout page' },
};

const shownFor = (field: INodeProperties, sources: PaymentSource[]): INodeProperties => ({ ...field, displayOptions: { show: { paymentSource: sources } } });

/** The Payment Source choice and each source's fields. */
export function paymentSourceFields(sources: PaymentSource[]): INodeProperties[] {
	const [number, month, year, securityCode] = cardFields;
	const withIdentifier = sources.includes('instrumentIdentifier') ? (['card', 'instrumentIdentifier'] as PaymentSource[]) : (['card'] as PaymentSource[]);
	return [
		{
			displayName: 'Payment Source',
			name: 'paymentSource',
			type: 'options',
			noDataExpression: true,
			default: 'card',
			options: sources.map((value) => ({ value, ...SOURCE_OPTIONS[value] })).sort((a, b) => a.name.localeCompare(b.name)),
			description: 'What pays: a card number, or a card stored in Token Management (no card data in the workflow)',
		},
		shownFor(number, ['card']),
		shownFor(month, withIdentifier),
		shownFor(year, withIdentifier),
		shownFor(securityCode, ['card']),
		...(sources.includes('customer')
			? [
					shownFor(customerId.field, ['customer']),
					shownFor({ ...paymentInstrumentId.field, name: 'customerPaymentInstrumentId', required: false, description: "One of the customer's cards; empty: its default card" }, ['customer']),
				]
			: []),
		...(sources.includes('paymentInstrument') ? [shownFor(paymentInstrumentId.field, ['paymentInstrument'])] : []),
		...(sources.includes('instrumentIdentifier') ? [shownFor(instrumentIdentifierId.field, ['instrumentIdentifier'])] : []),
		...(sources.includes('transientToken')
			? [
					shownFor(
						{
							displayName: 'Transient Token',
							name: 'transientToken',
							type: 'string',
							typeOptions: { password: true },
							default: '',
							required: true,
							description: 'The JWT your checkout page received from Microform or Unified Checkout (valid 15 minutes), or its jti',
						},
						['transientToken'],
					),
				]
			: []),
	];
}

/** `paymentInformation` (and `tokenInformation` for a transient token) of the chosen source, checked. */
export function paymentSourceOf(context: IExecuteFunctions, i: number): { paymentInformation: IDataObject; tokenInformation?: IDataObject } {
	const source = param<PaymentSource>(context, 'paymentSource', i, 'card');
	switch (source) {
		case 'customer': {
			const information: IDataObject = { customer: { id: customerId.read(context, i) } };
			const instrument = String(param(context, 'customerPaymentInstrumentId', i, '') ?? '').trim();
			if (instrument !== '') information.paymentInstrument = { id: input.tokenId(instrument, 'Payment Instrument ID') };
			return { paymentInformation: information };
		}
		case 'paymentInstrument':
			return { paymentInformation: { paymentInstrument: { id: paymentInstrumentId.read(context, i) } } };
		case 'instrumentIdentifier':
			return {
				paymentInformation: {
					instrumentIdentifier: { id: instrumentIdentifierId.read(context, i) },
					card: { expirationMonth: input.expirationMonth(param(context, 'expirationMonth', i)), expirationYear: input.expirationYear(param(context, 'expirationYear', i)) },
				},
			};
		case 'transientToken':
			return { paymentInformation: {}, tokenInformation: input.transientToken(param(context, 'transientToken', i)) };
		default:
			return { paymentInformation: { card: cardOf(context, i) } };
	}
}

/** Authorize's "Save the Card": `TOKEN_CREATE` for a card number or a transient token. */
export const saveCardFields: INodeProperties[] = [
	{
		displayName: 'Save the Card',
		name: 'saveCard',
		type: 'boolean',
		default: false,
		displayOptions: { show: { paymentSource: ['card', 'transientToken'] } },
		description:
			'Whether to store the card in Token Management while paying (a zero amount just verifies and stores it). The answer gives the new IDs in tokenInformation: customer, payment instrument, instrument identifier.',
	},
	{
		displayName: 'Save to Customer ID',
		name: 'saveToCustomerId',
		type: 'string',
		default: '',
		displayOptions: { show: { paymentSource: ['card', 'transientToken'], saveCard: [true] } },
		description: 'An existing customer to add the card to; empty: a new customer is created with the card as its default',
	},
];

/** `processingInformation` and `paymentInformation` additions of Save the Card, or undefined when off. */
export function saveCardOf(context: IExecuteFunctions, i: number): { processingInformation: IDataObject; paymentInformation?: IDataObject } | undefined {
	const source = param<PaymentSource>(context, 'paymentSource', i, 'card');
	if ((source !== 'card' && source !== 'transientToken') || param<boolean>(context, 'saveCard', i, false) !== true) return undefined;
	const existing = String(param(context, 'saveToCustomerId', i, '') ?? '').trim();
	if (existing === '') return { processingInformation: { actionList: ['TOKEN_CREATE'], actionTokenTypes: ['customer', 'paymentInstrument'] } };
	return {
		processingInformation: { actionList: ['TOKEN_CREATE'], actionTokenTypes: ['paymentInstrument'] },
		paymentInformation: { customer: { id: input.tokenId(existing, 'Save to Customer ID') } },
	};
}

/** Repeat charges: who started the payment and the stored-credential flags card networks ask for. */
export const storedCredentialField: INodeProperties = {
	displayName: 'Repeat Charge Options',
	name: 'storedCredential',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description: 'For charges with a stored card: subscriptions, instalments, charging when an order ships',
	options: [
		{
			displayName: 'Commerce Indicator',
			name: 'commerceIndicator',
			type: 'options',
			default: 'internet',
			options: [
				{ name: 'E-Commerce', value: 'internet' },
				{ name: 'Installment', value: 'install' },
				{ name: 'Mail or Telephone Order', value: 'moto' },
				{ name: 'Recurring', value: 'recurring' },
			],
			description: 'The kind of transaction (Recurring for subscriptions, Installment for paying in parts)',
		},
		{
			displayName: 'First Payment With a Card Being Stored',
			name: 'credentialStoredOnFile',
			type: 'boolean',
			default: false,
			description: 'Whether this customer-initiated payment stores the card for later charges (the card networks want to know)',
		},
		{
			displayName: 'Initiator',
			name: 'initiator',
			type: 'options',
			default: 'merchant',
			options: [
				{ name: 'Customer (Present, Paying Now)', value: 'customer' },
				{ name: 'Merchant (Charging a Stored Card)', value: 'merchant' },
			],
			description: 'Who started the payment: the customer at checkout, or you (a schedule, an order that shipped)',
		},
		{
			displayName: 'Previous Transaction ID',
			name: 'previousTransactionId',
			type: 'string',
			default: '',
			description: "The network transaction ID of the customer's first payment with this card (processorInformation.networkTransactionId of its answer)",
		},
		{
			displayName: 'Stored Card Used',
			name: 'storedCredentialUsed',
			type: 'boolean',
			default: true,
			description: 'Whether the card comes from storage (a repeat charge) rather than being entered now',
		},
	],
};

/** `processingInformation` of the Repeat Charge Options, or {} when none was added. */
export function storedCredentialOf(context: IExecuteFunctions, i: number): IDataObject {
	const options = param<IDataObject>(context, 'storedCredential', i, {});
	const processing: IDataObject = {};
	const initiator: IDataObject = {};
	if (typeof options.commerceIndicator === 'string' && options.commerceIndicator !== '') processing.commerceIndicator = options.commerceIndicator;
	if (typeof options.initiator === 'string' && options.initiator !== '') initiator.type = options.initiator;
	if (typeof options.credentialStoredOnFile === 'boolean') initiator.credentialStoredOnFile = options.credentialStoredOnFile;
	if (typeof options.storedCredentialUsed === 'boolean') initiator.storedCredentialUsed = options.storedCredentialUsed;
	const previous = String(options.previousTransactionId ?? '').trim();
	if (previous !== '') initiator.merchantInitiatedTransaction = { previousTransactionId: input.pathId(previous, 'Previous Transaction ID') };
	if (Object.keys(initiator).length > 0) processing.authorizationOptions = { initiator };
	return processing;
}

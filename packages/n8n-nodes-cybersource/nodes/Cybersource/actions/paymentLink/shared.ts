import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import * as input from '../../../../lib/cybersource/paymentInput';
import { checked, param } from '../fields';

export const PAYMENT_LINKS_PATH = '/ipl/v2/payment-links';

export const paymentLinkIdField: INodeProperties = { displayName: 'Payment Link ID', name: 'paymentLinkId', type: 'string', default: '', required: true, description: 'The ID Cybersource returned for the link' };

export function paymentLinkPath(context: IExecuteFunctions, i: number): string {
	return `${PAYMENT_LINKS_PATH}/${checked(context, i, () => input.pathId(param(context, 'paymentLinkId', i), 'Payment Link ID'))}`;
}

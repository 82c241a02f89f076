import { create } from './create';
import { download } from './download';
import { get } from './get';
import { getChargebackDetails } from './getChargebackDetails';
import { getChargebackSummaries } from './getChargebackSummaries';
import { getMany } from './getMany';
import { getPaymentBatchSummaries } from './getPaymentBatchSummaries';
import { getPurchaseRefundDetails } from './getPurchaseRefundDetails';

export const report = { create, get, getMany, download, getPaymentBatchSummaries, getPurchaseRefundDetails, getChargebackDetails, getChargebackSummaries };

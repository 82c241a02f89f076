import { authorize } from './authorize';
import { capture } from './capture';
import { refund } from './refund';
import { reverse } from './reverse';
import { timeoutReversal } from './timeoutReversal';
import { timeoutVoid } from './timeoutVoid';
import { voidTransaction } from './void';

export const payment = { authorize, capture, refund, void: voidTransaction, reverse, timeoutReversal, timeoutVoid };

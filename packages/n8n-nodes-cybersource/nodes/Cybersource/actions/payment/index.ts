import { authorize } from './authorize';
import { capture } from './capture';
import { credit } from './credit';
import { incrementalAuthorization } from './incrementalAuthorization';
import { refund } from './refund';
import { reverse } from './reverse';
import { timeoutReversal } from './timeoutReversal';
import { timeoutVoid } from './timeoutVoid';
import { voidTransaction } from './void';

export const payment = { authorize, capture, credit, incrementalAuthorization, refund, void: voidTransaction, reverse, timeoutReversal, timeoutVoid };

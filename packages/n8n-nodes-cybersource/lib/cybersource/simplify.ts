/**
 * One simplifier for every answer about a payment: the payment operations' answers (authorize,
 * capture, refund, credit, reversal, void, incremental authorization), Transaction Get and each
 * Transaction Search summary (research §1.3; n8n's UX rule for answers of more than 10 fields).
 * Ten flat fields, always the same keys (null when the answer has none), so that a sheet or a
 * database gets the same columns from every operation; `alreadySent: true` is kept when set.
 * n8n-free.
 */
export interface SimpleTransaction {
	id: string | null;
	status: string | null;
	amount: string | null;
	currency: string | null;
	reason: string | null;
	approvalCode: string | null;
	reconciliationId: string | null;
	clientReferenceCode: string | null;
	/** Brand and last four digits, e.g. "Visa 1111". */
	card: string | null;
	time: string | null;
	alreadySent?: true;
}

type Answer = Record<string, unknown>;

const CARD_BRANDS: Record<string, string> = {
	'001': 'Visa',
	'002': 'Mastercard',
	'003': 'American Express',
	'004': 'Discover',
	'005': 'Diners Club',
	'006': 'Carte Blanche',
	'007': 'JCB',
	'024': 'Maestro',
	'036': 'Cartes Bancaires',
	'042': 'Maestro',
	'062': 'China UnionPay',
};

function at(answer: Answer, path: string): unknown {
	let value: unknown = answer;
	for (const key of path.split('.')) {
		if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
		value = (value as Answer)[key];
	}
	return value;
}

/** The first of `paths` that holds a string (or a number, as text). */
function first(answer: Answer, ...paths: string[]): string | null {
	for (const path of paths) {
		const value = at(answer, path);
		if (typeof value === 'string' && value !== '') return value;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	}
	return null;
}

function firstApplication(answer: Answer): Answer {
	const applications = at(answer, 'applicationInformation.applications');
	return Array.isArray(applications) && typeof applications[0] === 'object' && applications[0] !== null ? (applications[0] as Answer) : {};
}

export function simplifyTransaction(answer: Answer): SimpleTransaction {
	const type = first(answer, 'paymentInformation.card.type', 'paymentAccountInformation.card.type', 'paymentInformation.tokenizedCard.type');
	const suffix = first(answer, 'paymentInformation.card.suffix', 'paymentAccountInformation.card.suffix');
	const brand = type === null ? null : (CARD_BRANDS[type] ?? type);
	const card = brand !== null || suffix !== null ? [brand, suffix].filter((part) => part !== null).join(' ') : null;
	const simple: SimpleTransaction = {
		id: first(answer, 'id'),
		status: first(answer, 'status', 'applicationInformation.status'),
		amount: first(
			answer,
			'orderInformation.amountDetails.authorizedAmount',
			'orderInformation.amountDetails.totalAmount',
			'refundAmountDetails.refundAmount',
			'creditAmountDetails.creditAmount',
			'reversalAmountDetails.reversedAmount',
			'voidAmountDetails.voidAmount',
		),
		currency: first(
			answer,
			'orderInformation.amountDetails.currency',
			'refundAmountDetails.currency',
			'creditAmountDetails.currency',
			'reversalAmountDetails.currency',
			'voidAmountDetails.currency',
		),
		reason: first(answer, 'errorInformation.reason', 'reason') ?? first(firstApplication(answer), 'rFlag'),
		approvalCode: first(answer, 'processorInformation.approvalCode'),
		reconciliationId: first(answer, 'reconciliationId') ?? first(firstApplication(answer), 'reconciliationId'),
		clientReferenceCode: first(answer, 'clientReferenceInformation.code'),
		card,
		time: first(answer, 'submitTimeUtc'),
	};
	if (answer.alreadySent === true) simple.alreadySent = true;
	return simple;
}

// Text an API answer carries is told without ARNs: they name accounts and internal resources.

/** An ARN, up to the space, quote, comma or bracket after it; a full stop ending it is the text's. */
const ARN = /arn:aws[a-z-]*:[^\s"',)]*[^\s"',).]/g;

export const withoutArns = (text: string) => text.replace(ARN, '(ARN)');

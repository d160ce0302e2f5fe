/** What a push that went through did, in words: a heading and what it means for the agency. */
const SENT: Record<string, { title: string; effect: string }> = {
  approve: { title: "Sent to ACCloud", effect: "the agency has the referral" },
  update: { title: "Update sent to ACCloud", effect: "the agency has the new revision" },
  cancel: { title: "Cancelled in ACCloud", effect: "the agency sees the cancellation" },
  documents: { title: "Documents sent to ACCloud", effect: "the agency can open them there" },
};

export const pushSentWords = (kind: unknown) => SENT[String(kind)] ?? SENT.approve!;

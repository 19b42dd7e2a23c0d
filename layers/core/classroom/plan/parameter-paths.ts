// Where a class's seat credentials live in Parameter Store: the class's path and one seat's name.

/** The class's path under the deployment's prefix: seats store under it, clean-up deletes it. */
export const classParameterPath = (parameterPrefix: string, classId: string) =>
  `${parameterPrefix}/classes/${classId}`;

/** Where one seat's credential is kept: one SecureString per seat, grouped by batch. */
export const credentialName = (plan: { parameterPath: string }, batchId: string, seatId: string) =>
  `${plan.parameterPath}/${batchId}/${seatId}`;

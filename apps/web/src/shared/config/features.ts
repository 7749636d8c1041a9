/**
 * What the product can do today, in one place. A feature that is not built yet stays false, so no face shows a
 * button that leads nowhere; the issue that builds it turns it on.
 */
export interface Features {
  /** 留言: leave a message for the bureau when the bot cannot answer. */
  readonly inquiry: boolean;
  /** 预约: book an appointment (online or at the hall). */
  readonly appointment: boolean;
}

export const FEATURES: Features = {
  inquiry: true,
  appointment: true,
};

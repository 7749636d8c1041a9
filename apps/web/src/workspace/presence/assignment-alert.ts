/**
 * Announcing a new assignment: a short beep (WebAudio, no sound file) and a desktop notification when the agent
 * granted permission. Permission is asked from a user gesture (switching to 在线).
 */

let audio: AudioContext | null = null;

export function beep(): void {
  try {
    const Ctor =
      window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return;
    audio ??= new Ctor();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.0001, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.25, ctx.currentTime + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.35);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
  } catch {
    // No audio (policy or device): the on-screen notice is enough.
  }
}

/** Ask once, from a click: browsers ignore permission requests without a user gesture. */
export function askNotificationPermission(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => {});
  // Unlocks audio in browsers that start the AudioContext suspended.
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    // ignore
  }
}

export function notifyDesktop(title: string, body: string, onClick?: () => void): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag: 'zn-assigned' });
    n.onclick = () => {
      window.focus();
      onClick?.();
      n.close();
    };
  } catch {
    // Some browsers allow notifications only from a service worker: the in-page notice remains.
  }
}

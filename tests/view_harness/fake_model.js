// A stand-in for anywidget's model, for tests only: get/set/on/off/send/save_changes.
// Sent messages are recorded in window.sent; tests change traits with window.setTraits({...}).

export class FakeModel {
  constructor(attrs = {}) {
    this.attrs = { ...attrs };
    this.listeners = new Map(); // event name -> array of callbacks
    this.sent = [];
  }

  get(name) {
    return this.attrs[name];
  }

  // A view-side set: like Backbone, fires change:name and change when the value differs.
  set(name, value) {
    this.update({ [name]: value });
  }

  // Kernel-side update: set every trait, then fire change:name for each one that changed, then change.
  update(values) {
    const changed = [];
    for (const [name, value] of Object.entries(values)) {
      if (JSON.stringify(this.attrs[name]) !== JSON.stringify(value)) changed.push(name);
      this.attrs[name] = value;
    }
    // Backbone passes (model, value) to change:name listeners.
    for (const name of changed) this.emit(`change:${name}`, this, this.attrs[name]);
    if (changed.length) this.emit("change", this);
    return changed;
  }

  on(event, callback) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(callback);
  }

  off(event, callback) {
    if (event === undefined) {
      this.listeners.clear();
      return;
    }
    const list = this.listeners.get(event) || [];
    const kept = callback === undefined ? [] : list.filter((cb) => cb !== callback);
    if (kept.length) this.listeners.set(event, kept);
    else this.listeners.delete(event);
  }

  emit(event, ...args) {
    for (const cb of [...(this.listeners.get(event) || [])]) cb(...args);
  }

  listenerCount() {
    let n = 0;
    for (const list of this.listeners.values()) n += list.length;
    return n;
  }

  send(content) {
    const copy = JSON.parse(JSON.stringify(content));
    this.sent.push(copy);
    window.sent.push(copy);
  }

  save_changes() {}
}

export const events_registration = {
  events_registration: {
    not_found: 'We could not find that event.',
    cancelled: 'This event has been cancelled, so registration is closed.',
    past: 'This event has already started, so registration is closed.',
    closed: 'Registration for this event closed on {{deadline}}.',
    not_in_audience: 'This event is for selected customer accounts, and yours is not among them.',
    nothing_to_cancel: 'You are not registered for this event.',
    cancel_too_late: 'This event has already started, so your registration can no longer be cancelled.',
    calendar_not_found: 'We could not find that calendar. Its feed URL may have been replaced by a new one.',
    calendar: {
      feed_name: 'My community events',
      waitlisted_summary: '{{title}} (waitlist)',
      event_page: 'Event page: {{link}}',
      join: 'Join online: {{link}}',
    },
    email: {
      greeting: 'Hello {{name}},',
      when: 'When: {{time}}',
      time_in_zone: '{{time}} ({{zone}})',
      where: 'Where: {{venue}}',
      join: 'Join online: {{link}}',
      page: 'Event page: {{link}}',
      footer:
        'You receive this email because you registered for this event. If you can no longer attend, please cancel on the event page so someone on the waitlist can take your seat.',
      registered: {
        subject: 'You are registered for “{{title}}”',
        intro: 'Your registration for “{{title}}” is confirmed. The calendar file attached adds it to your calendar.',
      },
      waitlisted: {
        subject: 'You are on the waitlist for “{{title}}”',
        intro:
          '“{{title}}” is full, so you are on its waitlist, number {{position}}. If a seat frees up it goes to you in turn, and we email you.',
      },
      changed: {
        subject: 'Changed: “{{title}}”',
        intro: 'The time or place of “{{title}}” has changed. Here are the new details.',
      },
      cancelled: {
        subject: 'Cancelled: “{{title}}”',
        intro:
          'We are sorry: “{{title}}” is cancelled. Your registration ends with it; there is nothing you need to do.',
        others: 'See our other events: {{link}}',
      },
      recording: {
        subject: 'The recording of “{{title}}” is available',
        intro: 'The recording of “{{title}}” is available: {{link}}',
      },
      promoted: {
        subject: 'You have a seat at “{{title}}”',
        intro: 'Good news: a seat opened up at “{{title}}”. You were on the waitlist and are now registered.',
      },
      reminder_24h: {
        subject: 'Reminder: “{{title}}” is coming up',
        intro: 'This is a reminder that “{{title}}” starts within 24 hours.',
      },
      reminder_1h: {
        subject: 'Starting soon: “{{title}}”',
        intro: '“{{title}}” starts within the hour.',
      },
    },
  },
}

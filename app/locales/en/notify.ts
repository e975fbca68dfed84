export const notify = {
  notify: {
    not_found: 'We could not find that notification.',
    question_not_found: 'We could not find that question.',
    /** A person named in a notification sentence. */
    actor: '{{name}}',
    someone: 'Someone',
    nav: {
      link: 'Notifications',
      link_unread: 'Notifications, {{count}} unread',
    },
    kind: {
      answer: '{{actor}} answered “{{title}}”',
      comment: '{{actor}} commented on your post in “{{title}}”',
      accepted: '{{actor}} accepted your answer to “{{title}}”',
      mention: '{{actor}} mentioned you in “{{title}}”',
    },
    page: {
      title: 'Notifications',
      lead: 'Answers to questions you watch, comments on your posts, accepted answers and mentions.',
      unread: '{{count}} unread',
      mark_all: 'Mark all as read',
      new: 'New',
      empty:
        'No notifications yet. When someone answers a question you watch, comments on your post, accepts your answer or mentions you, it shows up here.',
      list: 'Your notifications',
    },
    settings: {
      title: 'Email notifications',
      lead: 'Notifications always appear on your notifications page. Choose whether they are also emailed to you.',
      mode: 'Email me',
      modes: {
        each: 'For each notification',
        digest: 'Once a day, as a digest',
        none: 'Never',
      },
      submit: 'Update email notifications',
      saved: 'Your email notification setting has been updated.',
    },
    email: {
      greeting: 'Hello {{name}},',
      open: 'Open it: {{link}}',
      footer: 'You receive this email because of your notification settings. Change them at {{link}}',
      answer: {
        subject: 'New answer to “{{title}}”',
        intro: '{{actor}} answered a question you are watching: “{{title}}”.',
      },
      comment: {
        subject: 'New comment in “{{title}}”',
        intro: '{{actor}} commented on your post in “{{title}}”.',
      },
      accepted: {
        subject: 'Your answer to “{{title}}” was accepted',
        intro: '{{actor}} accepted your answer to “{{title}}”.',
      },
      mention: {
        subject: '{{actor}} mentioned you in “{{title}}”',
        intro: '{{actor}} mentioned you in “{{title}}”.',
      },
    },
    digest: {
      subject_one: '{{count}} new notification from the Community',
      subject_other: '{{count}} new notifications from the Community',
      intro: 'Here is what happened since your last digest:',
      more: '…and {{count}} more: {{link}}',
    },
  },
}

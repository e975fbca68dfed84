export const people = {
  people: {
    avatar: {
      not_image: 'Choose a picture in JPEG, PNG, WebP, GIF or AVIF format.',
      too_large: 'This picture is larger than {{mb}} MB. Choose a smaller one.',
      too_many_pixels: 'This picture has too many pixels. Choose one of at most 50 megapixels.',
      unreadable: 'This picture could not be read. Choose another one.',
      too_fast_one: 'You have changed your picture many times. Please try again in {{count}} minute.',
      too_fast_other: 'You have changed your picture many times. Please try again in {{count}} minutes.',
      not_found: 'This member has no picture.',
    },
    validation: {
      title_too_long: 'Keep the title to 80 characters or fewer.',
      bio_too_long: 'Keep the bio to 300 characters or fewer.',
    },
    settings: {
      picture: 'Profile picture',
      picture_label: 'New picture',
      picture_hint:
        'JPEG, PNG, WebP, GIF or AVIF, up to 5 MB. It is cut to a square from the middle; location and camera details are removed.',
      no_picture: 'You have no picture yet: your initials are shown.',
      preview: 'The chosen picture',
      remove_picture: 'Remove picture',
      picture_removed: 'Your picture has been removed. Your initials are shown instead.',
      title_label: 'Title',
      title_hint: 'Your role, such as “IT administrator”. Up to 80 characters.',
      bio_label: 'Bio',
      bio_hint: 'A few words about you, shown on your profile. Up to 300 characters.',
      hide_company: 'Hide my company on my profile',
      hide_company_hint: 'Your profile shows {{company}} unless you hide it. Staff still see it.',
      no_company: 'You belong to no customer account, so your profile shows no company.',
    },
    profile: {
      company: 'Company',
      company_hidden: '{{company}} (hidden from members)',
      title: 'Title',
      bio: 'About',
      level: 'Member level: {{level}}',
    },
    sort: {
      label: 'Sort answers',
      votes: 'Votes',
      newest: 'Newest',
      oldest: 'Oldest',
    },
  },
}
